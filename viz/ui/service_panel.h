// The side panel for services (Qt Charts): success rate, request rate and p99 per
// service over the whole run, one point per second, with a cursor at the current
// time; and the selected service's instances with version, zone, health, active
// faults, certificate expiry and config version at that time.
//
// Charts show every service when there are few (kMaxChartedServices), otherwise
// the selected one (or the busiest ones until something is selected).
#pragma once
#include <QWidget>
#include <vector>

#include "viz/model/run_model.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QTableWidget;
class QValueAxis;

namespace meshproof::viz {

class ServicePanel final : public QWidget {
  Q_OBJECT
 public:
  static constexpr std::size_t kMaxChartedServices = 8;

  explicit ServicePanel(QWidget* parent = nullptr);
  void setModel(const RunModel* model);
  void selectNode(int node);  // -1: none
  void showState(const GraphState& state);
  // The charts again from the model (live mode: the run has grown), same selection.
  void refreshSeries();

  // What is charted (tests read it): node indices, in legend order.
  const std::vector<std::size_t>& chartedNodes() const { return charted_; }
  QTableWidget* instanceTable() const { return instances_; }

 private:
  struct Chart {
    QChartView* view = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    QLineSeries* cursor = nullptr;
  };
  Chart makeChart(const QString& title);
  void rebuildSeries();
  void fillInstances(const GraphState& state);

  const RunModel* model_ = nullptr;
  int selected_ = -1;
  std::vector<std::size_t> charted_;
  Chart success_, rate_, latency_;
  QLabel* heading_;
  QTableWidget* instances_;
  TimeNs shown_time_ = -1;
};

}  // namespace meshproof::viz
