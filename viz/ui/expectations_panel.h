// The expectations of the run (the trace's verdict lines): pass or fail, observed
// values and, for a failure, the reason. Clicking one moves the timeline to the
// instant it was decided (for a failure: when it failed).
#pragma once
#include <QWidget>
#include <vector>

#include "mesh/core/events.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace meshproof::viz {

class ExpectationsPanel final : public QWidget {
  Q_OBJECT
 public:
  explicit ExpectationsPanel(QWidget* parent = nullptr);
  void setExpectations(const std::vector<VerdictEvent>& verdicts);
  QTreeWidget* list() const { return list_; }

 Q_SIGNALS:
  void jumpRequested(qint64 t);

 private:
  void activate(QTreeWidgetItem* item);

  QLabel* summary_;
  QTreeWidget* list_;
  std::vector<VerdictEvent> verdicts_;
};

}  // namespace meshproof::viz
