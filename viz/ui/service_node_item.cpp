// Paints a service card or an entry/external card, its badges and its tooltip (see
// service_node_item.h).
#include "viz/ui/service_node_item.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <algorithm>

#include "viz/ui/call_edge_item.h"
#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

constexpr double kCardWidth = 264;
constexpr double kPad = 9;
constexpr double kHeader = 28;
constexpr double kFiguresRow = 22;
constexpr double kVersionRow = 26;
constexpr double kBadgeRow = 24;   // two of them: badges wrap once
constexpr int kBadgeRows = 2;
constexpr double kSmallWidth = 190;
constexpr double kSmallHeight = 54;
constexpr double kDotRadius = 5.5;
constexpr double kDotStep = 15;
constexpr double kCorner = 9;

QString healthName(Health h) {
  switch (h) {
    case Health::kHealthy: return QStringLiteral("healthy");
    case Health::kUnhealthy: return QStringLiteral("unhealthy");
    case Health::kEjected: return QStringLiteral("ejected");
    case Health::kDown: return QStringLiteral("down");
  }
  return {};
}

}  // namespace

ServiceNodeItem::ServiceNodeItem(const Topology::Node& node)
    : name_(QString::fromStdString(node.name)), kind_(node.kind) {
  for (const Topology::Version& v : node.versions) versions_.push_back({QString::fromStdString(v.name), v.instances});
  for (const Topology::Instance& i : node.instances) instance_names_ << QString::fromStdString(i.name);
  size_ = sizeFor(node);
  state_.instances.resize(node.instances.size());
  state_.versions.resize(node.versions.size());
  setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
  setZValue(1);
  setAcceptHoverEvents(false);
  updateToolTip();
}

QSizeF ServiceNodeItem::sizeFor(const Topology::Node& node) {
  // Wide enough for the name (and, on a service card, its request rate beside it).
  const QString name = QString::fromStdString(node.name);
  if (node.kind != NodeKind::kService) {
    const double text = QFontMetricsF(style::font(14, true)).horizontalAdvance(name) + 40;
    return {std::clamp(text, kSmallWidth, 2 * kSmallWidth), kSmallHeight};
  }
  const double text = QFontMetricsF(style::font(16, true)).horizontalAdvance(name) + 110;
  const double rows = static_cast<double>(std::max<std::size_t>(1, node.versions.size()));
  return {std::clamp(text, kCardWidth, 1.6 * kCardWidth),
          kPad + kHeader + kFiguresRow + rows * kVersionRow + kBadgeRows * kBadgeRow + kPad};
}

QRectF ServiceNodeItem::card() const { return {-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height()}; }

QRectF ServiceNodeItem::boundingRect() const { return card().adjusted(-5, -5, 5, 5); }

void ServiceNodeItem::setState(const NodeState& state) {
  state_ = state;
  state_.instances.resize(static_cast<std::size_t>(instance_names_.size()));
  state_.versions.resize(versions_.size());
  badges_.clear();
  if (state_.breaker.open)
    badges_.push_back({QStringLiteral("BREAKER OPEN"), style::breakerColor()});
  else if (state_.breaker.trips > 0)
    badges_.push_back({QStringLiteral("BREAKER ×%1").arg(state_.breaker.trips), style::breakerColor()});
  if (state_.down > 0) badges_.push_back({QStringLiteral("DOWN %1").arg(state_.down), style::faultColor()});
  if (state_.ejected > 0)
    badges_.push_back(
        {QStringLiteral("EJECTED %1/%2").arg(state_.ejected).arg(instance_names_.size()), style::ejectionColor()});
  if (!state_.faults.empty()) {
    QStringList types;
    for (const std::string& f : state_.faults) types << QString::fromStdString(f);
    badges_.push_back({QStringLiteral("FAULT ") + types.join(QStringLiteral(", ")), style::faultColor()});
  }
  if (state_.canary) {
    const QString canary = QString::fromStdString(state_.canary->canary);
    if (state_.canary->verdict == "rolled-back")
      badges_.push_back({QStringLiteral("ROLLED BACK ") + canary, style::faultColor()});
    else if (state_.canary->verdict == "promoted")
      badges_.push_back({QStringLiteral("PROMOTED ") + canary, QColor(0x2b, 0x8a, 0x3e)});
    else if (state_.canary->verdict == "failed-check")
      badges_.push_back({QStringLiteral("CANARY %1 %2% · CHECK FAILED").arg(canary).arg(state_.canary->weight),
                         style::ejectionColor()});
    else
      badges_.push_back({QStringLiteral("CANARY %1 %2%").arg(canary).arg(state_.canary->weight), style::canaryColor()});
  }
  if (state_.expired_certs > 0)
    badges_.push_back({QStringLiteral("CERT EXPIRED %1").arg(state_.expired_certs), style::certColor()});
  if (state_.config_rejected > 0)
    badges_.push_back({QStringLiteral("CONFIG REJECTED %1").arg(state_.config_rejected), style::configColor()});
  update();
}

void ServiceNodeItem::updateToolTip() {
  QString tip = QStringLiteral("<b>%1</b>").arg(name_.toHtmlEscaped());
  if (kind_ == NodeKind::kService) {
    const Figures& f = state_.figures;
    tip += QStringLiteral("<br>%1 · %2 ok · p99 %3 (as seen by callers)")
               .arg(style::rateText(f.requestsPerSecond()), style::percentText(f.successRatePercent()),
                    style::millisText(f.p99_ms));
    for (std::size_t v = 0; v < versions_.size(); ++v) {
      tip += QStringLiteral("<br><b>%1</b>:").arg(versions_[v].name.toHtmlEscaped());
      for (const std::size_t i : versions_[v].instances)
        tip += QStringLiteral(" %1 (%2)").arg(instance_names_[static_cast<int>(i)].toHtmlEscaped(),
                                             healthName(state_.instances[i].health));
    }
  }
  for (const NodeBadge& b : badges_) tip += QStringLiteral("<br>") + b.text.toHtmlEscaped();
  setToolTip(tip);
}

QVariant ServiceNodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionHasChanged)
    for (CallEdgeItem* edge : edges_) edge->updateGeometry();
  return QGraphicsItem::itemChange(change, value);
}

void ServiceNodeItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  press_position_ = pos();
  QGraphicsItem::mousePressEvent(event);
}

void ServiceNodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  QGraphicsItem::mouseReleaseEvent(event);
  if (pos() != press_position_) user_placed_ = true;
}

void ServiceNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
  painter->setRenderHint(QPainter::Antialiasing, detail > 0.15);
  if (kind_ == NodeKind::kService) paintServiceCard(painter, detail);
  else paintSmallCard(painter, detail);
  if (isSelected()) {
    painter->setPen(QPen(style::selection(), 3.5));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(card().adjusted(-3.5, -3.5, 3.5, 3.5), kCorner + 3, kCorner + 3);
  }
}

void ServiceNodeItem::paintServiceCard(QPainter* painter, double detail) {
  const QRectF c = card();
  const Figures& f = state_.figures;
  const QColor border = style::successColor(f.successRatePercent());
  painter->setPen(QPen(border, 2.5));
  painter->setBrush(style::nodeFill());
  painter->drawRoundedRect(c, kCorner, kCorner);
  if (detail < 0.12) return;
  if (detail < 0.45) {
    // Zoomed out: the name, large enough to read.
    painter->setPen(style::ink());
    painter->setFont(style::font(std::min(44.0, 13.0 / detail), true));
    painter->drawText(c.adjusted(6, 4, -6, -4), Qt::AlignCenter | Qt::TextWordWrap, name_);
    if (!badges_.empty()) {
      painter->setPen(Qt::NoPen);
      painter->setBrush(badges_.front().color);
      painter->drawEllipse(QPointF(c.right() - 16, c.top() + 16), 11, 11);
    }
    return;
  }
  // Header: name and request rate.
  const QRectF header(c.left() + kPad + 2, c.top() + kPad, c.width() - 2 * kPad - 4, kHeader);
  painter->setPen(style::ink());
  painter->setFont(style::font(16, true));
  const QString rate = style::rateText(f.requestsPerSecond());
  const double rate_width = QFontMetricsF(style::font(13, true)).horizontalAdvance(rate) + 6;
  painter->drawText(header.adjusted(0, 0, -rate_width, 0), Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetricsF(painter->font()).elidedText(name_, Qt::ElideRight, header.width() - rate_width));
  painter->setFont(style::font(13, true));
  painter->setPen(f.requests > 0 ? style::ink() : style::mutedInk());
  painter->drawText(header, Qt::AlignRight | Qt::AlignVCenter, rate);

  // Figures: success rate (coloured) and p99.
  const QRectF figures(header.left(), header.bottom(), header.width(), kFiguresRow);
  painter->setPen(Qt::NoPen);
  painter->setBrush(border);
  painter->drawEllipse(QPointF(figures.left() + 5, figures.center().y()), 5, 5);
  painter->setFont(style::font(12.5));
  painter->setPen(style::ink());
  const QString line = f.requests > 0 ? QStringLiteral("%1 ok   p99 %2")
                                            .arg(style::percentText(f.successRatePercent()),
                                                 style::millisText(f.p99_ms))
                                      : QStringLiteral("no requests in the window");
  painter->drawText(figures.adjusted(16, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, line);

  // One row per version: name pill, canary weight, instance dots, its rate.
  double y = figures.bottom() + 2;
  for (std::size_t v = 0; v < versions_.size(); ++v, y += kVersionRow) {
    const VersionRow& row = versions_[v];
    const VersionState& vs = state_.versions[v];
    const QRectF r(header.left(), y, header.width(), kVersionRow);
    painter->setFont(style::font(11.5, true));
    const double pill_width = std::max(30.0, QFontMetricsF(painter->font()).horizontalAdvance(row.name) + 14);
    const QRectF pill(r.left(), r.center().y() - 9, pill_width, 18);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xe9, 0xec, 0xef));
    painter->drawRoundedRect(pill, 9, 9);
    painter->setPen(style::ink());
    painter->drawText(pill, Qt::AlignCenter, row.name);
    double x = pill.right() + 8;
    if (vs.weight_percent) {
      painter->setPen(style::canaryColor());
      const QString w = QStringLiteral("%1%").arg(*vs.weight_percent);
      painter->drawText(QRectF(x, r.top(), 40, r.height()), Qt::AlignLeft | Qt::AlignVCenter, w);
      x += QFontMetricsF(painter->font()).horizontalAdvance(w) + 8;
    }
    const QString version_rate = style::rateText(vs.figures.requestsPerSecond());
    painter->setFont(style::font(11.5));
    const double rate_w = QFontMetricsF(painter->font()).horizontalAdvance(version_rate);
    const double dots_room = r.right() - rate_w - 10 - x;
    const auto max_dots = static_cast<std::size_t>(std::max(1.0, std::floor(dots_room / kDotStep)));
    const std::size_t shown = row.instances.size() > max_dots ? max_dots - 1 : row.instances.size();
    for (std::size_t k = 0; k < shown; ++k) {
      const InstanceState& is = state_.instances[row.instances[k]];
      const QPointF centre(x + kDotRadius, r.center().y());
      painter->setPen(QPen(style::healthColor(is.health).darker(130), 1.2));
      painter->setBrush(style::healthColor(is.health));
      painter->drawEllipse(centre, kDotRadius, kDotRadius);
      if (!is.faults.empty()) {  // a fault: a red ring around the dot
        painter->setPen(QPen(style::faultColor(), 1.6));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(centre, kDotRadius + 2.5, kDotRadius + 2.5);
      }
      x += kDotStep;
    }
    if (shown < row.instances.size()) {
      painter->setPen(style::mutedInk());
      painter->drawText(QRectF(x, r.top(), 40, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                        QStringLiteral("+%1").arg(row.instances.size() - shown));
    }
    painter->setPen(vs.figures.requests > 0 ? style::mutedInk() : QColor(0xce, 0xd4, 0xda));
    painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter, version_rate);
  }
  if (versions_.empty()) {
    painter->setPen(style::mutedInk());
    painter->setFont(style::font(11.5));
    painter->drawText(QRectF(header.left(), y, header.width(), kVersionRow), Qt::AlignLeft | Qt::AlignVCenter,
                      QStringLiteral("no instances seen"));
    y += kVersionRow;
  }
  paintBadges(painter, QRectF(header.left(), y + 2, header.width(), kBadgeRows * kBadgeRow - 4));
}

void ServiceNodeItem::paintBadges(QPainter* painter, const QRectF& area) {
  constexpr double kSpacing = 5;
  constexpr double kChipHeight = kBadgeRow - 5;
  if (badges_.empty()) {
    painter->setPen(QColor(0xad, 0xb5, 0xbd));
    painter->setFont(style::font(11));
    painter->drawText(QRectF(area.left(), area.top(), area.width(), kChipHeight), Qt::AlignLeft | Qt::AlignVCenter,
                      QStringLiteral("no alerts"));
    return;
  }
  painter->setFont(style::font(10.5, true));
  const QFontMetricsF metrics(painter->font());
  auto chipWidth = [&](const QString& text) { return metrics.horizontalAdvance(text) + 12; };
  auto drawChip = [&](QPointF at, const QString& text, const QColor& color) {
    const QRectF chip(at, QSizeF(chipWidth(text), kChipHeight));
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(chip, 5, 5);
    painter->setPen(Qt::white);
    painter->drawText(chip, Qt::AlignCenter, metrics.elidedText(text, Qt::ElideRight, area.width() - 12));
    return chip.right() + kSpacing;
  };
  // Left to right, wrapping once; what does not fit becomes "+N".
  auto moreChip = [&](std::size_t n) { return QStringLiteral("+%1").arg(n); };
  double x = area.left();
  int row = 0;
  for (std::size_t i = 0; i < badges_.size(); ++i) {
    const double w = std::min(chipWidth(badges_[i].text), area.width());
    if (x > area.left() && x + w > area.right()) {  // not on this row
      if (row + 1 == kBadgeRows) {
        drawChip(QPointF(x, area.top() + row * kBadgeRow), moreChip(badges_.size() - i), style::mutedInk());
        return;
      }
      ++row;
      x = area.left();
    }
    const std::size_t left_after = badges_.size() - i - 1;
    if (row + 1 == kBadgeRows && left_after > 0 && x + w + kSpacing + chipWidth(moreChip(left_after)) > area.right()) {
      drawChip(QPointF(x, area.top() + row * kBadgeRow), moreChip(badges_.size() - i), style::mutedInk());
      return;
    }
    x = drawChip(QPointF(x, area.top() + row * kBadgeRow), badges_[i].text, badges_[i].color);
  }
}

void ServiceNodeItem::paintSmallCard(QPainter* painter, double detail) {
  const QRectF c = card();
  const bool external = kind_ == NodeKind::kExternal;
  QPen pen(external ? style::faultColor() : QColor(0x74, 0x8f, 0xfc), 2);
  if (external) pen.setStyle(Qt::DashLine);
  painter->setPen(pen);
  painter->setBrush(external ? style::externalFill() : style::entryFill());
  painter->drawRoundedRect(c, c.height() / 2, c.height() / 2);
  if (detail < 0.12) return;
  painter->setPen(style::ink());
  if (detail < 0.45) {
    painter->setFont(style::font(std::min(36.0, 12.0 / detail), true));
    painter->drawText(c, Qt::AlignCenter, name_);
    return;
  }
  painter->setFont(style::font(14, true));
  const QRectF top(c.left() + 16, c.top() + 6, c.width() - 32, c.height() / 2 - 2);
  painter->drawText(top, Qt::AlignCenter,
                    QFontMetricsF(painter->font()).elidedText(name_, Qt::ElideMiddle, top.width()));
  painter->setFont(style::font(11.5));
  painter->setPen(style::mutedInk());
  painter->drawText(QRectF(top.left(), c.center().y() + 1, top.width(), c.height() / 2 - 8), Qt::AlignCenter,
                    (external ? QStringLiteral("no sidecar · ") : QStringLiteral("entry · ")) +
                        style::rateText(outgoing_rps_) + QStringLiteral(" out"));
}

}  // namespace meshproof::viz
