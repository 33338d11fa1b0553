// Paints the marker lanes, axis and cursor, and turns clicks into times (see
// timeline_bar.h).
#include "viz/ui/timeline_bar.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

constexpr int kLanes = 5;
constexpr double kLaneHeight = 11;
constexpr double kLeft = 92;  // room for the lane names
constexpr double kRight = 16;
constexpr double kTop = 6;

const char* kLaneNames[kLanes] = {"faults", "ejections", "breakers", "config/cert", "canary"};

QColor colorOf(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kFaultStart:
    case MarkerKind::kFaultStop: return style::faultColor();
    case MarkerKind::kEjection: return style::ejectionColor();
    case MarkerKind::kBreakerTrip: return style::breakerColor();
    case MarkerKind::kConfig: return style::configColor();
    case MarkerKind::kCert: return style::certColor();
    case MarkerKind::kCanary: return style::canaryColor();
    case MarkerKind::kExpectationFailed: return QColor(0xe0, 0x31, 0x31);
  }
  return Qt::black;
}

// A tick step (in seconds) that gives at most about `max_ticks` ticks.
double tickStep(double seconds, int max_ticks) {
  for (const double step : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0})
    if (seconds / step <= max_ticks) return step;
  return std::ceil(seconds / max_ticks / 3600.0) * 3600.0;
}

}  // namespace

TimelineBar::TimelineBar(QWidget* parent) : QWidget(parent) {
  setMouseTracking(false);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setFixedHeight(sizeHint().height());
}

int TimelineBar::laneOf(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kFaultStart:
    case MarkerKind::kFaultStop: return 0;
    case MarkerKind::kEjection: return 1;
    case MarkerKind::kBreakerTrip: return 2;
    case MarkerKind::kConfig:
    case MarkerKind::kCert: return 3;
    case MarkerKind::kCanary: return 4;
    case MarkerKind::kExpectationFailed: return -1;
  }
  return -1;
}

void TimelineBar::setMarkers(std::vector<Marker> markers, std::vector<FaultInterval> faults, TimeNs end) {
  markers_ = std::move(markers);
  faults_ = std::move(faults);
  end_ = end;
  update();
}

void TimelineBar::setTime(TimeNs t) {
  if (t == time_) return;
  time_ = t;
  update();
}

QRectF TimelineBar::track() const { return {kLeft, kTop, width() - kLeft - kRight, kLanes * kLaneHeight}; }

TimeNs TimelineBar::timeAt(double x) const {
  const QRectF r = track();
  if (end_ <= 0 || r.width() <= 0) return 0;
  const double share = std::clamp((x - r.left()) / r.width(), 0.0, 1.0);
  return static_cast<TimeNs>(std::llround(share * static_cast<double>(end_)));
}

double TimelineBar::xOf(TimeNs t) const {
  const QRectF r = track();
  if (end_ <= 0) return r.left();
  return r.left() + r.width() * static_cast<double>(std::clamp<TimeNs>(t, 0, end_)) / static_cast<double>(end_);
}

void TimelineBar::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF r = track();
  p.fillRect(rect(), palette().window());
  p.setPen(Qt::NoPen);
  for (int lane = 0; lane < kLanes; ++lane) {
    p.setBrush(lane % 2 == 0 ? QColor(0xf1, 0xf3, 0xf5) : QColor(0xe9, 0xec, 0xef));
    p.drawRect(QRectF(r.left(), r.top() + lane * kLaneHeight, r.width(), kLaneHeight));
    p.setPen(style::mutedInk());
    p.setFont(style::font(9.5));
    p.drawText(QRectF(4, r.top() + lane * kLaneHeight - 1, kLeft - 10, kLaneHeight + 2),
               Qt::AlignRight | Qt::AlignVCenter, QString::fromLatin1(kLaneNames[lane]));
    p.setPen(Qt::NoPen);
  }
  // Fault spans, then markers (one per pixel column and lane is enough).
  QColor span = style::faultColor();
  span.setAlpha(70);
  p.setBrush(span);
  for (const FaultInterval& f : faults_) {
    const double x0 = xOf(f.start), x1 = xOf(std::min(f.stop, end_));
    p.drawRect(QRectF(x0, r.top() + 1, std::max(2.0, x1 - x0), kLaneHeight - 2));
  }
  std::vector<int> last_column(kLanes + 1, -1);
  for (const Marker& m : markers_) {
    const int lane = laneOf(m.kind);
    const double x = xOf(m.t);
    const int column = static_cast<int>(x);
    int& last = last_column[static_cast<std::size_t>(lane + 1)];
    if (column == last) continue;
    last = column;
    if (lane < 0) {
      p.setPen(QPen(colorOf(m.kind), 2, Qt::DashLine));
      p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
      p.setPen(Qt::NoPen);
      p.setBrush(colorOf(m.kind));
      QPolygonF flag;
      flag << QPointF(x, r.top()) << QPointF(x + 9, r.top() + 4) << QPointF(x, r.top() + 8);
      p.drawPolygon(flag);
      continue;
    }
    p.setPen(QPen(colorOf(m.kind), 2));
    p.drawLine(QPointF(x, r.top() + lane * kLaneHeight + 1), QPointF(x, r.top() + (lane + 1) * kLaneHeight - 1));
  }
  // Axis.
  const double seconds = static_cast<double>(end_) / 1e9;
  p.setPen(style::mutedInk());
  p.setFont(style::font(10));
  const double axis_y = r.bottom() + 2;
  if (seconds > 0) {
    const double step = tickStep(seconds, std::max(2, static_cast<int>(r.width() / 70)));
    for (double s = 0; s <= seconds + 1e-9; s += step) {
      const double x = xOf(static_cast<TimeNs>(s * 1e9));
      p.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + 4));
      const QString label = step < 1 ? QString::number(s, 'f', 1) + "s" : QString::number(s, 'f', 0) + "s";
      p.drawText(QRectF(x - 30, axis_y + 4, 60, 14), Qt::AlignHCenter | Qt::AlignTop, label);
    }
  }
  // Cursor.
  const double cx = xOf(time_);
  p.setPen(QPen(style::selection(), 2));
  p.drawLine(QPointF(cx, r.top() - 4), QPointF(cx, r.bottom() + 4));
  p.setPen(Qt::NoPen);
  p.setBrush(style::selection());
  QPolygonF knob;
  knob << QPointF(cx - 6, r.top() - 6) << QPointF(cx + 6, r.top() - 6) << QPointF(cx, r.top() + 1);
  p.drawPolygon(knob);
}

void TimelineBar::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  Q_EMIT scrubbed(timeAt(event->position().x()));
}

void TimelineBar::mouseMoveEvent(QMouseEvent* event) {
  if (event->buttons() & Qt::LeftButton) Q_EMIT scrubbed(timeAt(event->position().x()));
}

bool TimelineBar::event(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QWidget::event(event);
  const auto* help = static_cast<QHelpEvent*>(event);
  const double x = help->pos().x();
  QStringList lines;
  for (const Marker& m : markers_) {
    if (std::abs(xOf(m.t) - x) > 3) continue;
    if (lines.size() == 8) {
      lines << QStringLiteral("…");
      break;
    }
    lines << style::secondsText(m.t) + QStringLiteral("  ") + QString::fromStdString(m.label);
  }
  if (lines.isEmpty()) lines << style::secondsText(timeAt(x));
  QToolTip::showText(help->globalPos(), lines.join('\n'), this);
  return true;
}

}  // namespace meshproof::viz
