// Charts per service and the instance table (see service_panel.h).
#include "viz/ui/service_panel.h"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

QString healthText(const InstanceState& s) {
  switch (s.health) {
    case Health::kHealthy: return QStringLiteral("healthy");
    case Health::kUnhealthy: return QStringLiteral("unhealthy");
    case Health::kEjected: return QStringLiteral("ejected");
    case Health::kDown: return QStringLiteral("down");
  }
  return {};
}

double niceCeiling(double v) {
  if (v <= 0) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (v <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

}  // namespace

ServicePanel::ServicePanel(QWidget* parent) : QWidget(parent) {
  heading_ = new QLabel(this);
  heading_->setFont(style::font(15, true));
  heading_->setContentsMargins(6, 4, 6, 0);
  success_ = makeChart(QStringLiteral("Success rate (%) as seen by callers"));
  rate_ = makeChart(QStringLiteral("Requests per second"));
  latency_ = makeChart(QStringLiteral("p99 latency (ms)"));
  instances_ = new QTableWidget(this);
  instances_->setColumnCount(7);
  instances_->setHorizontalHeaderLabels({QStringLiteral("Instance"), QStringLiteral("Version"),
                                         QStringLiteral("Zone"), QStringLiteral("Health"),
                                         QStringLiteral("Faults"), QStringLiteral("Certificate"),
                                         QStringLiteral("Config")});
  instances_->verticalHeader()->setVisible(false);
  instances_->horizontalHeader()->setStretchLastSection(true);
  instances_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  instances_->setSelectionMode(QAbstractItemView::NoSelection);
  instances_->setMinimumHeight(150);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(2);
  layout->addWidget(heading_);
  layout->addWidget(success_.view, 3);
  layout->addWidget(rate_.view, 3);
  layout->addWidget(latency_.view, 3);
  layout->addWidget(instances_, 3);
  selectNode(-1);
}

ServicePanel::Chart ServicePanel::makeChart(const QString& title) {
  Chart c;
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->setTitleFont(style::font(12, true));
  chart->setMargins(QMargins(4, 2, 4, 2));
  chart->setBackgroundRoundness(4);
  chart->legend()->setVisible(false);
  chart->setAnimationOptions(QChart::NoAnimation);
  c.x = new QValueAxis;
  c.x->setLabelFormat(QStringLiteral("%.0f s"));
  c.x->setLabelsFont(style::font(10));
  c.y = new QValueAxis;
  c.y->setLabelsFont(style::font(10));
  chart->addAxis(c.x, Qt::AlignBottom);
  chart->addAxis(c.y, Qt::AlignLeft);
  c.view = new QChartView(chart, this);
  c.view->setRenderHint(QPainter::Antialiasing);
  c.view->setMinimumHeight(140);
  return c;
}

void ServicePanel::setModel(const RunModel* model) {
  model_ = model;
  selected_ = -1;
  shown_time_ = -1;
  rebuildSeries();
  instances_->setRowCount(0);
}

void ServicePanel::selectNode(int node) {
  selected_ = node;
  shown_time_ = -1;
  rebuildSeries();
  if (model_ && node >= 0) {
    const Topology::Node& n = model_->graph().topology.nodes[static_cast<std::size_t>(node)];
    heading_->setText(QString::fromStdString(n.name));
  } else {
    heading_->setText(QStringLiteral("All services — click a service for its instances"));
    instances_->setRowCount(0);
  }
}

void ServicePanel::refreshSeries() { rebuildSeries(); }

void ServicePanel::rebuildSeries() {
  charted_.clear();
  for (Chart* c : {&success_, &rate_, &latency_}) {
    c->view->chart()->removeAllSeries();
    c->cursor = nullptr;
  }
  if (!model_) return;
  const ServiceGraph& g = model_->graph();
  std::vector<std::size_t> services;
  for (std::size_t n = 0; n < g.topology.nodes.size(); ++n)
    if (g.topology.nodes[n].kind == NodeKind::kService) services.push_back(n);
  if (selected_ >= 0 && g.topology.nodes[static_cast<std::size_t>(selected_)].kind == NodeKind::kService &&
      services.size() > kMaxChartedServices) {
    charted_ = {static_cast<std::size_t>(selected_)};
  } else if (services.size() <= kMaxChartedServices) {
    charted_ = services;
  } else {
    // The busiest services over the whole run.
    std::vector<std::pair<std::uint64_t, std::size_t>> busy;
    const GraphState whole = model_->stateAt(model_->endTime() + model_->bucketWidth(), model_->endTime() + kSecond);
    for (const std::size_t n : services) busy.push_back({whole.nodes[n].figures.requests, n});
    std::stable_sort(busy.begin(), busy.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < kMaxChartedServices && i < busy.size(); ++i) charted_.push_back(busy[i].second);
  }
  const double end_s = std::max(1.0, static_cast<double>(model_->endTime()) / 1e9);
  const double width_s = static_cast<double>(model_->bucketWidth()) / 1e9;
  double max_rate = 0, max_p99 = 0, min_success = 100;
  for (std::size_t k = 0; k < charted_.size(); ++k) {
    const std::size_t n = charted_[k];
    const bool highlighted = selected_ < 0 || static_cast<std::size_t>(selected_) == n;
    QColor color = style::seriesColor(static_cast<int>(k));
    if (!highlighted) color.setAlpha(90);
    auto make = [&](Chart& chart) {
      auto* s = new QLineSeries;
      s->setName(QString::fromStdString(g.topology.nodes[n].name));
      s->setPen(QPen(color, highlighted ? 2.2 : 1.4));
      chart.view->chart()->addSeries(s);
      s->attachAxis(chart.x);
      s->attachAxis(chart.y);
      return s;
    };
    QLineSeries* success = make(success_);
    QLineSeries* rate = make(rate_);
    QLineSeries* latency = make(latency_);
    QList<QPointF> sp, rp, lp;
    for (const SeriesPoint& p : model_->nodeSeries(n)) {
      const double x = static_cast<double>(p.from) / 1e9 + width_s;  // known once the bucket is complete
      rp << QPointF(x, p.figures.requestsPerSecond());
      max_rate = std::max(max_rate, p.figures.requestsPerSecond());
      if (const auto sr = p.figures.successRatePercent()) {
        sp << QPointF(x, *sr);
        min_success = std::min(min_success, *sr);
      }
      if (p.figures.p99_ms) {
        lp << QPointF(x, *p.figures.p99_ms);
        max_p99 = std::max(max_p99, *p.figures.p99_ms);
      }
    }
    success->replace(sp);
    rate->replace(rp);
    latency->replace(lp);
  }
  // Legend on the first chart only: the colours are the same in all three.
  QChart* first = success_.view->chart();
  first->legend()->setVisible(charted_.size() > 1);
  first->legend()->setAlignment(Qt::AlignTop);
  first->legend()->setFont(style::font(10.5));
  const double success_floor = min_success >= 98 ? 98 : std::max(0.0, std::floor(min_success / 10) * 10);
  const auto ticks = [](QValueAxis* axis, double low, double high, const char* format) {
    axis->setRange(low, high);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(low);
    axis->setTickInterval((high - low) / 4);
    axis->setLabelFormat(QString::fromLatin1(format));
  };
  ticks(success_.y, success_floor, 100, success_floor >= 90 ? "%.1f" : "%.0f");
  const double rate_top = niceCeiling(max_rate * 1.1), p99_top = niceCeiling(max_p99 * 1.1);
  ticks(rate_.y, 0, rate_top, rate_top < 4 ? "%.1f" : "%.0f");
  ticks(latency_.y, 0, p99_top, p99_top < 4 ? "%.1f" : "%.0f");
  // Seconds on the x axis at a round step (1, 2, 5, 10, 15, 30 s ...).
  double x_step = 1;
  for (const double step : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0}) {
    x_step = step;
    if (end_s / step <= 6) break;
  }
  for (Chart* c : {&success_, &rate_, &latency_}) {
    c->x->setRange(0, end_s);
    c->x->setTickType(QValueAxis::TicksDynamic);
    c->x->setTickAnchor(0);
    c->x->setTickInterval(x_step);
    c->cursor = new QLineSeries;
    c->cursor->setPen(QPen(style::selection(), 1.5, Qt::DashLine));
    c->view->chart()->addSeries(c->cursor);
    c->cursor->attachAxis(c->x);
    c->cursor->attachAxis(c->y);
    const auto markers = first->legend()->markers(c->cursor);
    for (QLegendMarker* m : markers) m->setVisible(false);
  }
}

void ServicePanel::showState(const GraphState& state) {
  for (Chart* c : {&success_, &rate_, &latency_}) {
    if (!c->cursor) continue;
    const double x = static_cast<double>(state.t) / 1e9;
    c->cursor->replace(QList<QPointF>{{x, c->y->min()}, {x, c->y->max()}});
  }
  fillInstances(state);
}

void ServicePanel::fillInstances(const GraphState& state) {
  if (!model_ || selected_ < 0) return;
  const auto node = static_cast<std::size_t>(selected_);
  const Topology::Node& n = model_->graph().topology.nodes[node];
  if (node >= state.nodes.size()) return;
  const NodeState& ns = state.nodes[node];
  instances_->setRowCount(static_cast<int>(n.instances.size()));
  for (std::size_t i = 0; i < n.instances.size(); ++i) {
    const Topology::Instance& inst = n.instances[i];
    const InstanceState& s = i < ns.instances.size() ? ns.instances[i] : InstanceState{};
    QString cert = QStringLiteral("—");
    QColor cert_color = style::ink();
    if (s.cert_denied) {
      cert = QStringLiteral("denied by the CA");
      cert_color = style::certColor();
    } else if (s.cert_expired) {
      cert = QStringLiteral("expired");
      cert_color = style::certColor();
    } else if (s.cert_expires) {
      cert = QStringLiteral("expires in ") + style::durationText(*s.cert_expires - state.t);
    }
    QString config = QStringLiteral("—");
    if (s.config_applied) config = QStringLiteral("v%1").arg(*s.config_applied);
    if (s.config_rejected) config += QStringLiteral(" (rejected v%1)").arg(*s.config_rejected);
    QStringList faults;
    for (const std::string& f : s.faults) faults << QString::fromStdString(f);
    const QString cells[] = {QString::fromStdString(inst.name),
                             QString::fromStdString(n.versions[inst.version].name),
                             inst.zone.empty() ? QStringLiteral("—") : QString::fromStdString(inst.zone),
                             healthText(s),
                             faults.isEmpty() ? QStringLiteral("—") : faults.join(QStringLiteral(", ")),
                             cert,
                             config};
    for (int c = 0; c < 7; ++c) {
      QTableWidgetItem* item = instances_->item(static_cast<int>(i), c);
      if (!item) {
        item = new QTableWidgetItem;
        instances_->setItem(static_cast<int>(i), c, item);
      }
      if (item->text() != cells[c]) item->setText(cells[c]);
      QColor color = style::ink();
      if (c == 3) color = s.health == Health::kHealthy ? style::ink() : style::healthColor(s.health).darker(115);
      if (c == 4 && !faults.isEmpty()) color = style::faultColor();
      if (c == 5) color = cert_color;
      if (c == 6 && s.config_rejected) color = style::configColor();
      item->setForeground(color);
    }
  }
  if (shown_time_ < 0) instances_->resizeColumnsToContents();
  shown_time_ = state.t;
}

}  // namespace meshproof::viz
