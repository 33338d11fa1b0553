// The status card and the legend drawn over the graph (see overlay_painter.h).
#include "viz/ui/overlay_painter.h"

#include <QFontMetricsF>
#include <QStringList>
#include <vector>

#include "viz/ui/call_edge_item.h"
#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

struct Line {
  QString text;
  QColor color;
  double size;
  bool bold;
};

void cardBackground(QPainter& painter, const QRectF& r) {
  painter.setPen(QPen(QColor(0xde, 0xe2, 0xe6), 1));
  painter.setBrush(QColor(255, 255, 255, 235));
  painter.drawRoundedRect(r, 8, 8);
}

}  // namespace

QRectF paintStatusCard(QPainter& painter, const QRectF& area, const GraphState& state, const QString& title) {
  std::vector<Line> lines;
  lines.push_back({QStringLiteral("t = ") + style::secondsText(state.t), style::ink(), 20, true});
  QString sub = QStringLiteral("figures over %1 – %2")
                    .arg(QString::number(static_cast<double>(state.window_from) / 1e9, 'f', 0),
                         style::secondsText(state.window_to));
  if (!title.isEmpty()) sub = title + QStringLiteral(" · ") + sub;
  lines.push_back({sub, style::mutedInk(), 12, false});
  for (const ActiveFault& f : state.faults)
    lines.push_back({QStringLiteral("FAULT %1 — %2 (since %3)")
                         .arg(QString::fromStdString(f.type), QString::fromStdString(f.description),
                              style::secondsText(f.since)),
                     style::faultColor(), 12.5, true});
  if (state.config.version) {
    QString text = QStringLiteral("config v%1").arg(*state.config.version);
    if (state.config.sidecars > 0)
      text += QStringLiteral(" · %1/%2 sidecars current").arg(state.config.current).arg(state.config.sidecars);
    else
      text += QStringLiteral(" published");
    if (state.config.rejected > 0) text += QStringLiteral(" · %1 rejected").arg(state.config.rejected);
    lines.push_back({text, state.config.rejected > 0 ? style::configColor() : style::mutedInk(), 12.5, true});
  }
  double width = 0, height = 0;
  for (const Line& l : lines) {
    const QFontMetricsF m(style::font(l.size, l.bold));
    width = std::max(width, m.horizontalAdvance(l.text));
    height += m.height() + 2;
  }
  const QRectF card(area.left() + 14, area.top() + 14, width + 28, height + 18);
  cardBackground(painter, card);
  double y = card.top() + 9;
  for (const Line& l : lines) {
    painter.setFont(style::font(l.size, l.bold));
    painter.setPen(l.color);
    const double h = QFontMetricsF(painter.font()).height();
    painter.drawText(QRectF(card.left() + 14, y, width + 2, h), Qt::AlignLeft | Qt::AlignVCenter, l.text);
    y += h + 2;
  }
  return card;
}

QRectF paintLegend(QPainter& painter, const QRectF& area) {
  const QFont f = style::font(11.5);
  const QFontMetricsF m(f);
  struct Item {
    int kind;  // 0 line colour, 1 padlock, 2 health dot
    QColor color;
    MtlsState mtls;
    QString text;
  };
  const std::vector<Item> items = {
      {0, style::successColor(100.0), {}, QStringLiteral("≥ 99.5% ok")},
      {0, style::successColor(97.0), {}, QStringLiteral("≥ 95%")},
      {0, style::successColor(50.0), {}, QStringLiteral("< 95%")},
      {0, style::successColor(std::nullopt), {}, QStringLiteral("idle")},
      {1, {}, MtlsState::kMutual, QStringLiteral("mTLS")},
      {1, {}, MtlsState::kPlaintext, QStringLiteral("plaintext")},
      {1, {}, MtlsState::kRejected, QStringLiteral("rejected")},
      {2, style::healthColor(Health::kHealthy), {}, QStringLiteral("healthy")},
      {2, style::healthColor(Health::kEjected), {}, QStringLiteral("ejected")},
      {2, style::healthColor(Health::kDown), {}, QStringLiteral("down")},
      {2, style::healthColor(Health::kUnhealthy), {}, QStringLiteral("unhealthy")},
  };
  double width = 24;
  for (const Item& i : items) width += 26 + m.horizontalAdvance(i.text) + 12;
  const QRectF card(area.left() + 14, area.bottom() - 14 - 30, width, 30);
  cardBackground(painter, card);
  double x = card.left() + 12;
  const double cy = card.center().y();
  painter.setFont(f);
  for (const Item& i : items) {
    if (i.kind == 0) {
      painter.setPen(QPen(i.color, 4, Qt::SolidLine, Qt::RoundCap));
      painter.drawLine(QPointF(x, cy), QPointF(x + 18, cy));
    } else if (i.kind == 1) {
      paintPadlock(&painter, QRectF(x + 3, cy - 8, 12, 15), i.mtls);
    } else {
      painter.setPen(QPen(i.color.darker(130), 1.2));
      painter.setBrush(i.color);
      painter.drawEllipse(QPointF(x + 9, cy), 5.5, 5.5);
    }
    x += 24;
    painter.setPen(style::ink());
    painter.drawText(QRectF(x, card.top(), m.horizontalAdvance(i.text) + 2, card.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, i.text);
    x += m.horizontalAdvance(i.text) + 14;
  }
  return card;
}

}  // namespace meshproof::viz
