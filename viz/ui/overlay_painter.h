// What is painted over the graph in screen space, by the view and by offscreen
// renders alike: a card with the time, the figures' window, active faults and the
// config version (top left), and the legend (bottom left).
#pragma once
#include <QPainter>
#include <QRectF>
#include <QString>

#include "viz/model/graph_state.h"

namespace meshproof::viz {

// Returns the card's rectangle.
QRectF paintStatusCard(QPainter& painter, const QRectF& area, const GraphState& state, const QString& title);
QRectF paintLegend(QPainter& painter, const QRectF& area);

}  // namespace meshproof::viz
