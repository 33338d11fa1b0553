// Geometry (card-to-card curve, arrowhead, label box) and painting of a call path,
// and the padlock (see call_edge_item.h).
#include "viz/ui/call_edge_item.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QtMath>
#include <cmath>

#include "viz/ui/service_node_item.h"
#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

constexpr double kLabelFont = 12;
constexpr double kDetailFont = 11;
constexpr double kPadlockWidth = 13;
constexpr double kArrowLength = 13;
constexpr double kMaxLabelWidth = 320;
constexpr double kMaxLabelHeight = 44;

// Where the ray from the centre of `rect` towards `towards` leaves it, `margin` outside.
QPointF exitPoint(const QRectF& rect, QPointF towards, double margin) {
  const QPointF c = rect.center();
  const QPointF d = towards - c;
  if (std::abs(d.x()) < 1e-9 && std::abs(d.y()) < 1e-9) return c;
  const double hx = rect.width() / 2 + margin, hy = rect.height() / 2 + margin;
  const double tx = std::abs(d.x()) < 1e-9 ? HUGE_VAL : hx / std::abs(d.x());
  const double ty = std::abs(d.y()) < 1e-9 ? HUGE_VAL : hy / std::abs(d.y());
  const double t = std::min({tx, ty, 1.0});
  return c + d * t;
}

QPointF unit(QPointF v) {
  const double length = std::hypot(v.x(), v.y());
  return length < 1e-9 ? QPointF(1, 0) : v / length;
}

}  // namespace

void paintPadlock(QPainter* painter, const QRectF& box, MtlsState state) {
  const QColor color = style::mtlsColor(state);
  const QRectF body(box.left(), box.top() + box.height() * 0.42, box.width(), box.height() * 0.58);
  const double sw = box.width() * 0.62;  // shackle width
  const QRectF shackle(box.center().x() - sw / 2, box.top(), sw, box.height() * 0.84);
  painter->save();
  painter->setPen(QPen(color, std::max(1.6, box.width() * 0.16), Qt::SolidLine, Qt::RoundCap));
  painter->setBrush(Qt::NoBrush);
  if (state == MtlsState::kMutual || state == MtlsState::kNoTraffic) {
    painter->drawArc(shackle, 0, 180 * 16);  // closed: both legs in the body
    painter->drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), body.top()));
    painter->drawLine(QPointF(shackle.right(), shackle.center().y()), QPointF(shackle.right(), body.top()));
  } else {
    // Open: the shackle lifted and swung, its right leg out of the body.
    const QRectF lifted = shackle.translated(-sw * 0.35, -box.height() * 0.14);
    painter->drawArc(lifted, 0, 180 * 16);
    painter->drawLine(QPointF(lifted.left(), lifted.center().y()), QPointF(lifted.left(), body.top()));
  }
  painter->setPen(Qt::NoPen);
  painter->setBrush(state == MtlsState::kNoTraffic ? QColor(0xde, 0xe2, 0xe6) : color);
  painter->drawRoundedRect(body, 2, 2);
  if (state == MtlsState::kRejected) {  // broken: a white cross on the body
    painter->setPen(QPen(Qt::white, 1.6, Qt::SolidLine, Qt::RoundCap));
    const QRectF x = body.adjusted(body.width() * 0.28, body.height() * 0.22, -body.width() * 0.28,
                                   -body.height() * 0.22);
    painter->drawLine(x.topLeft(), x.bottomRight());
    painter->drawLine(x.topRight(), x.bottomLeft());
  } else {
    painter->setBrush(Qt::white);
    painter->drawEllipse(QPointF(body.center().x(), body.center().y()), body.width() * 0.11, body.width() * 0.11);
  }
  painter->restore();
}

CallEdgeItem::CallEdgeItem(ServiceNodeItem* from, ServiceNodeItem* to) : from_(from), to_(to) {
  setZValue(0);
  setVisible(false);
  updateGeometry();
}

void CallEdgeItem::setBend(double offset) {
  bend_ = offset;
  updateGeometry();
}

bool CallEdgeItem::mostlyDenied() const {
  return state_.figures.requests > 0 && 2 * state_.figures.denied > state_.figures.requests;
}

namespace {

bool sameLabel(const EdgeState& a, const EdgeState& b) {
  const Figures &x = a.figures, &y = b.figures;
  return x.requests == y.requests && x.successes == y.successes && x.hops == y.hops && x.mtls == y.mtls &&
         x.rejected == y.rejected && x.denied == y.denied && x.window == y.window && x.p99_ms == y.p99_ms &&
         a.cert_rejections == b.cert_rejections && a.mtls == b.mtls;
}

}  // namespace

void CallEdgeItem::setState(const EdgeState& state) {
  const bool visible = state.seen;
  if (isVisible() != visible) setVisible(visible);
  if (has_state_ && sameLabel(state, state_)) {  // a frame within the same window: nothing to redo
    state_ = state;
    return;
  }
  has_state_ = true;
  state_ = state;
  const Figures& f = state.figures;
  label_size_.reset();
  label_.clear();
  detail_.clear();
  if (f.requests > 0) {
    label_ = style::rateText(f.requestsPerSecond()) + QStringLiteral(" · p99 ") + style::millisText(f.p99_ms);
    const auto success = f.successRatePercent();
    if (f.rejected > 0 || state.cert_rejections > 0) {
      detail_ = QStringLiteral("mTLS rejected %1").arg(f.rejected + state.cert_rejections);
      detail_color_ = style::mtlsColor(MtlsState::kRejected);
    } else if (f.denied > 0) {
      detail_ = QStringLiteral("RBAC denied %1").arg(f.denied);
      detail_color_ = QColor(0xc2, 0x25, 0x5c);
    } else if (success && *success < 100.0) {
      detail_ = style::percentText(success) + QStringLiteral(" ok");
      detail_color_ = style::successColor(success);
    }
    if (state.mtls == MtlsState::kPlaintext && detail_.isEmpty()) {
      detail_ = QStringLiteral("plaintext %1/%2").arg(f.hops - f.mtls).arg(f.hops);
      detail_color_ = style::mtlsColor(MtlsState::kPlaintext);
    }
  } else if (state.cert_rejections > 0) {
    label_ = QStringLiteral("no requests");
    detail_ = QStringLiteral("mTLS rejected %1").arg(state.cert_rejections);
    detail_color_ = style::mtlsColor(MtlsState::kRejected);
  }
  update();
}

QSizeF CallEdgeItem::measureLabel() const {
  if (label_.isEmpty()) return {0, 0};
  static const QFontMetricsF label_metrics(style::font(kLabelFont, true));
  static const QFontMetricsF detail_metrics(style::font(kDetailFont, true));
  const double w1 = label_metrics.horizontalAdvance(label_);
  const double w2 = detail_.isEmpty() ? 0 : detail_metrics.horizontalAdvance(detail_);
  return {std::max(w1, w2) + kPadlockWidth + 22, detail_.isEmpty() ? 24.0 : 40.0};
}

void CallEdgeItem::updateGeometry() {
  prepareGeometryChange();
  const QRectF a = from_->card().translated(from_->pos());
  const QRectF b = to_->card().translated(to_->pos());
  const QPointF mid = (a.center() + b.center()) / 2;
  const QPointF along = unit(b.center() - a.center());
  const QPointF normal(-along.y(), along.x());
  control_ = mid + normal * bend_;
  start_ = exitPoint(a, control_, 4);
  end_ = exitPoint(b, control_, 6);
  curve_ = QPainterPath(start_);
  // A straight edge is a line, not a flat curve: Qt would flatten a curve of thousands
  // of pixels into as many segments on every paint.
  if (bend_ == 0) curve_.lineTo(end_);
  else curve_.quadTo(control_, end_);
  label_centre_ = bend_ == 0 ? (start_ + end_) / 2 : curve_.pointAtPercent(0.5);
  // Room for the widest label, so that a new label never changes the geometry.
  bounds_ = curve_.boundingRect()
                .adjusted(-kArrowLength - 10, -kArrowLength - 10, kArrowLength + 10, kArrowLength + 10)
                .united(QRectF(label_centre_ - QPointF(kMaxLabelWidth / 2, kMaxLabelHeight / 2),
                               QSizeF(kMaxLabelWidth, kMaxLabelHeight)));
}

QRectF CallEdgeItem::labelRect() const {
  // Measured when first drawn or asked for: shaping the text of every label on every
  // window change would cost more than drawing the frame.
  if (!label_size_) label_size_ = measureLabel();
  const QSizeF ls = *label_size_;
  return {label_centre_ - QPointF(ls.width() / 2, ls.height() / 2), ls};
}

QRectF CallEdgeItem::boundingRect() const { return bounds_; }

QPainterPath CallEdgeItem::shape() const {
  QPainterPathStroker stroker;
  stroker.setWidth(12);
  return stroker.createStroke(curve_);
}

void CallEdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
  painter->setRenderHint(QPainter::Antialiasing, detail > 0.15);
  const Figures& f = state_.figures;
  const bool idle = f.requests == 0;
  QColor color = idle ? QColor(0xad, 0xb5, 0xbd) : style::successColor(f.successRatePercent());
  if (mostlyDenied()) color = QColor(0xc2, 0x25, 0x5c);
  const double width = idle ? 1.5 : style::edgeWidth(f.requestsPerSecond());
  QPen pen(color, width, idle || mostlyDenied() ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap);
  painter->setPen(pen);
  painter->setBrush(Qt::NoBrush);
  // Stop the line where the arrowhead begins so its tip stays sharp.
  const QPointF direction = unit(end_ - control_);
  const double arrow = kArrowLength + width * 0.8;
  if (bend_ == 0) {
    painter->drawLine(start_, end_ - direction * (arrow * 0.8));
  } else {
    QPainterPath line(start_);
    line.quadTo(control_, end_ - direction * (arrow * 0.8));
    painter->drawPath(line);
  }
  if (!label_.isEmpty() && detail >= 0.45) paintLabel(painter, color);
  // The arrowhead last, so that a label never hides it.
  const QPointF normal(-direction.y(), direction.x());
  const double half = arrow * 0.45 + width * 0.3;
  QPolygonF head;
  head << end_ << end_ - direction * arrow + normal * half << end_ - direction * arrow - normal * half;
  painter->setPen(Qt::NoPen);
  painter->setBrush(color);
  painter->drawPolygon(head);
}

void CallEdgeItem::paintLabel(QPainter* painter, const QColor& color) {
  const QRectF box = labelRect();
  painter->setPen(QPen(color.lighter(115), 1.2));
  painter->setBrush(QColor(255, 255, 255, 238));
  painter->drawRoundedRect(box, 6, 6);
  paintPadlock(painter, QRectF(box.left() + 8, box.top() + 5, kPadlockWidth, 15), state_.mtls);
  const QRectF text(box.left() + kPadlockWidth + 14, box.top() + 3, box.width() - kPadlockWidth - 20, 18);
  painter->setPen(style::ink());
  painter->setFont(style::font(kLabelFont, true));
  painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, label_);
  if (!detail_.isEmpty()) {
    painter->setPen(detail_color_);
    painter->setFont(style::font(kDetailFont, true));
    painter->drawText(text.translated(0, 16), Qt::AlignLeft | Qt::AlignVCenter, detail_);
  }
}

}  // namespace meshproof::viz
