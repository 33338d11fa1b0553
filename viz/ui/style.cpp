// Colours, widths and figure text shared by every view (see style.h).
#include "viz/ui/style.h"

#include <QStringList>
#include <array>
#include <cmath>

namespace meshproof::viz::style {

QColor successColor(std::optional<double> success_percent) {
  if (!success_percent) return QColor(0xad, 0xb5, 0xbd);
  if (*success_percent >= kGoodPercent) return QColor(0x2f, 0x9e, 0x44);
  if (*success_percent >= kWarnPercent) return QColor(0xf0, 0x8c, 0x00);
  return QColor(0xe0, 0x31, 0x31);
}

QColor healthColor(Health health) {
  switch (health) {
    case Health::kHealthy: return QColor(0x40, 0xc0, 0x57);
    case Health::kUnhealthy: return QColor(0x86, 0x8e, 0x96);
    case Health::kEjected: return QColor(0xfd, 0x7e, 0x14);
    case Health::kDown: return QColor(0xc9, 0x2a, 0x2a);
  }
  return QColor(Qt::black);
}

double edgeWidth(double rps) { return std::clamp(1.5 + 2.2 * std::log10(1.0 + std::max(0.0, rps)), 1.5, 9.0); }

QColor background() { return QColor(0xf4, 0xf6, 0xf8); }
QColor ink() { return QColor(0x21, 0x25, 0x29); }
QColor mutedInk() { return QColor(0x6c, 0x75, 0x7d); }
QColor nodeFill() { return QColor(0xff, 0xff, 0xff); }
QColor entryFill() { return QColor(0xe7, 0xf0, 0xfa); }
QColor externalFill() { return QColor(0xfb, 0xee, 0xee); }
QColor selection() { return QColor(0x1c, 0x7e, 0xd6); }

QColor mtlsColor(MtlsState state) {
  switch (state) {
    case MtlsState::kMutual: return QColor(0x2b, 0x8a, 0x3e);
    case MtlsState::kPlaintext:
    case MtlsState::kRejected: return QColor(0xe0, 0x31, 0x31);
    case MtlsState::kNoTraffic: return QColor(0xad, 0xb5, 0xbd);
  }
  return QColor(Qt::black);
}

QColor breakerColor() { return QColor(0x9c, 0x36, 0xb5); }
QColor ejectionColor() { return QColor(0xe8, 0x59, 0x0c); }
QColor faultColor() { return QColor(0xc9, 0x2a, 0x2a); }
QColor canaryColor() { return QColor(0x19, 0x71, 0xc2); }
QColor certColor() { return QColor(0xa6, 0x1e, 0x4d); }
QColor configColor() { return QColor(0x0c, 0x85, 0x99); }

QColor seriesColor(int index) {
  static const std::array<QColor, 10> colors = {
      QColor(0x1c, 0x7e, 0xd6), QColor(0xe8, 0x59, 0x0c), QColor(0x2f, 0x9e, 0x44), QColor(0xae, 0x3e, 0xc9),
      QColor(0x0c, 0x85, 0x99), QColor(0xd6, 0x33, 0x6c), QColor(0x66, 0xa8, 0x0f), QColor(0x5f, 0x3d, 0xc4),
      QColor(0xf0, 0x8c, 0x00), QColor(0x49, 0x50, 0x57)};
  return colors[static_cast<std::size_t>(index) % colors.size()];
}

QFont font(double pixel_size, bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(static_cast<int>(std::lround(pixel_size)));
  f.setBold(bold);
  return f;
}

QString rateText(double rps) {
  if (rps <= 0) return QStringLiteral("0 rps");
  if (rps < 10) return QString::number(rps, 'f', 1) + QStringLiteral(" rps");
  return QString::number(std::lround(rps)) + QStringLiteral(" rps");
}

QString percentText(std::optional<double> value) {
  if (!value) return QStringLiteral("—");
  if (*value >= 100.0) return QStringLiteral("100%");
  // Never round a failure up to 100%.
  const double shown = std::floor(*value * 100.0) / 100.0;
  return QString::number(shown, 'f', shown >= 10 ? 2 : 1) + QStringLiteral("%");
}

QString millisText(std::optional<double> ms) {
  if (!ms) return QStringLiteral("—");
  if (*ms < 10) return QString::number(*ms, 'f', 1) + QStringLiteral(" ms");
  if (*ms < 10000) return QString::number(std::lround(*ms)) + QStringLiteral(" ms");
  return QString::number(*ms / 1000.0, 'f', 1) + QStringLiteral(" s");
}

QString secondsText(TimeNs t) { return QString::number(static_cast<double>(t) / 1e9, 'f', 3) + QStringLiteral(" s"); }

QString durationText(DurationNs d) {
  const bool negative = d < 0;
  const std::int64_t s = std::llabs(d) / kSecond;
  QString text;
  if (s >= 3600) text = QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60);
  else if (s >= 60) text = QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
  else text = QString::number(static_cast<double>(std::llabs(d)) / 1e9, 'f', 1) + QStringLiteral(" s");
  return negative ? QStringLiteral("-") + text : text;
}

}  // namespace meshproof::viz::style
