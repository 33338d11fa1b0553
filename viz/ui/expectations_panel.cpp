// The verdict list and its jump-to-time clicks (see expectations_panel.h).
#include "viz/ui/expectations_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "viz/ui/style.h"

namespace meshproof::viz {

ExpectationsPanel::ExpectationsPanel(QWidget* parent) : QWidget(parent) {
  summary_ = new QLabel(this);
  summary_->setFont(style::font(13, true));
  list_ = new QTreeWidget(this);
  list_->setColumnCount(5);
  list_->setHeaderLabels({QStringLiteral("Result"), QStringLiteral("Expectation"), QStringLiteral("Type"),
                          QStringLiteral("Decided at"), QStringLiteral("Observed / reason")});
  list_->setRootIsDecorated(false);
  list_->setUniformRowHeights(true);
  list_->setAlternatingRowColors(true);
  list_->header()->setStretchLastSection(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 6, 4);
  layout->addWidget(summary_);
  layout->addWidget(list_);
  connect(list_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { activate(item); });
  connect(list_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
  setExpectations({});
}

void ExpectationsPanel::setExpectations(const std::vector<VerdictEvent>& verdicts) {
  verdicts_ = verdicts;
  list_->clear();
  int held = 0;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const VerdictEvent& v = verdicts[i];
    held += v.passed ? 1 : 0;
    const QString observed = QString::fromStdString(v.observed);
    const QString reason = QString::fromStdString(v.reason);
    auto* item = new QTreeWidgetItem(list_);
    item->setText(0, v.passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    item->setForeground(0, v.passed ? QColor(0x2b, 0x8a, 0x3e) : QColor(0xe0, 0x31, 0x31));
    item->setFont(0, style::font(12, true));
    item->setText(1, QString::fromStdString(v.name));
    item->setText(2, QString::fromStdString(v.type));
    item->setText(3, v.decided_at ? style::secondsText(*v.decided_at) : QStringLiteral("—"));
    item->setText(4, reason.isEmpty() ? observed : reason + QStringLiteral(" — ") + observed);
    item->setToolTip(4, (reason.isEmpty() ? QString() : reason + QStringLiteral("\n")) + observed);
    item->setToolTip(3, v.decided_at ? QStringLiteral("Click to show the graph at this instant") : QString());
    item->setData(0, Qt::UserRole, static_cast<int>(i));
  }
  for (int c = 0; c < 4; ++c) list_->resizeColumnToContents(c);
  if (verdicts.empty()) summary_->setText(QStringLiteral("No expectation verdicts in this trace"));
  else
    summary_->setText(QStringLiteral("%1 of %2 expectations held").arg(held).arg(verdicts.size()) +
                      (held < static_cast<int>(verdicts.size()) ? QStringLiteral(" — click one to see when it failed")
                                                                 : QString()));
}

void ExpectationsPanel::activate(QTreeWidgetItem* item) {
  const int i = item->data(0, Qt::UserRole).toInt();
  if (i < 0 || static_cast<std::size_t>(i) >= verdicts_.size()) return;
  if (verdicts_[static_cast<std::size_t>(i)].decided_at) Q_EMIT jumpRequested(*verdicts_[static_cast<std::size_t>(i)].decided_at);
}

}  // namespace meshproof::viz
