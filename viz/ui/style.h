// The visualizer's look in one place: colours for success rates, health and badges,
// edge widths for request rates, and how figures are written ("210 rps",
// "p99 418 ms", "99.5%"), so every view says the same thing the same way.
#pragma once
#include <QColor>
#include <QFont>
#include <QString>
#include <optional>

#include "mesh/core/time.h"
#include "viz/model/graph_state.h"

namespace meshproof::viz::style {

// Success-rate bands (percent): at or above kGoodPercent green, at or above
// kWarnPercent amber, below red; no traffic grey.
inline constexpr double kGoodPercent = 99.5;
inline constexpr double kWarnPercent = 95.0;

QColor successColor(std::optional<double> success_percent);
QColor healthColor(Health health);
// Pen width of an edge carrying `rps` requests per second (logarithmic, 1.5-9 px).
double edgeWidth(double rps);

QColor background();
QColor ink();         // main text
QColor mutedInk();    // secondary text
QColor nodeFill();
QColor entryFill();
QColor externalFill();
QColor selection();
QColor mtlsColor(MtlsState state);

// Badge colours.
QColor breakerColor();
QColor ejectionColor();
QColor faultColor();
QColor canaryColor();
QColor certColor();
QColor configColor();

// One colour per series in the charts (cycles after 10).
QColor seriesColor(int index);

QFont font(double pixel_size, bool bold = false);

QString rateText(double rps);                      // "210 rps", "0.4 rps"
QString percentText(std::optional<double> value);  // "99.52%", "100%", "—"
QString millisText(std::optional<double> ms);      // "418 ms", "3.2 ms", "—"
QString secondsText(TimeNs t);                     // "30.000 s"
QString durationText(DurationNs d);                // "23h 59m", "4m 10s", "12.5 s"

}  // namespace meshproof::viz::style
