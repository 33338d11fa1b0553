// Playback controls and the marker bar wired to a Playback (see timeline_panel.h).
#include "viz/ui/timeline_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "viz/ui/playback.h"
#include "viz/ui/style.h"
#include "viz/ui/timeline_bar.h"

namespace meshproof::viz {

TimelinePanel::TimelinePanel(Playback* playback, QWidget* parent)
    : QWidget(parent), playback_(playback), bar_(new TimelineBar(this)) {
  play_ = new QToolButton(this);
  play_->setToolTip(QStringLiteral("Play / pause (Space)"));
  play_->setAutoRaise(true);
  play_->setIconSize(QSize(22, 22));
  auto* previous = new QToolButton(this);
  previous->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
  previous->setToolTip(QStringLiteral("Previous marker (,)"));
  previous->setAutoRaise(true);
  auto* next = new QToolButton(this);
  next->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
  next->setToolTip(QStringLiteral("Next marker (.)"));
  next->setAutoRaise(true);
  speed_ = new QComboBox(this);
  for (const double s : kSpeeds) speed_->addItem(QString::number(s) + QStringLiteral("×"), s);
  speed_->setCurrentIndex(3);
  speed_->setToolTip(QStringLiteral("Playback speed ([ slower, ] faster)"));
  time_ = new QLabel(this);
  time_->setFont(style::font(14, true));
  time_->setMinimumWidth(260);

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(8, 4, 8, 0);
  controls->addWidget(previous);
  controls->addWidget(play_);
  controls->addWidget(next);
  controls->addSpacing(8);
  controls->addWidget(new QLabel(QStringLiteral("speed"), this));
  controls->addWidget(speed_);
  controls->addSpacing(16);
  controls->addWidget(time_);
  controls->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 4);
  layout->setSpacing(2);
  layout->addLayout(controls);
  layout->addWidget(bar_);

  connect(play_, &QToolButton::clicked, playback_, &Playback::toggle);
  connect(previous, &QToolButton::clicked, this, [this] { jumpToMarker(-1); });
  connect(next, &QToolButton::clicked, this, [this] { jumpToMarker(+1); });
  connect(speed_, &QComboBox::currentIndexChanged, this,
          [this](int i) { playback_->setSpeed(speed_->itemData(i).toDouble()); });
  connect(playback_, &Playback::speedChanged, this, [this](double s) {
    const int i = speed_->findData(s);
    if (i >= 0) speed_->setCurrentIndex(i);
  });
  connect(bar_, &TimelineBar::scrubbed, playback_, [this](qint64 t) { playback_->setTime(t); });
  connect(playback_, &Playback::timeChanged, this, [this](qint64 t) { showTime(t); });
  connect(playback_, &Playback::playingChanged, this, &TimelinePanel::showPlaying);
  showPlaying(false);
  showTime(0);
}

void TimelinePanel::setMarkers(std::vector<Marker> markers, std::vector<FaultInterval> faults, TimeNs end) {
  markers_ = markers;
  bar_->setMarkers(std::move(markers), std::move(faults), end);
  showTime(playback_->time());
}

void TimelinePanel::showTime(TimeNs t) {
  bar_->setTime(t);
  time_->setText(style::secondsText(t) + QStringLiteral("  /  ") + style::secondsText(playback_->end()));
}

void TimelinePanel::showPlaying(bool playing) {
  play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TimelinePanel::jumpToMarker(int direction) {
  const TimeNs now = playback_->time();
  if (direction > 0) {
    const auto it = std::upper_bound(markers_.begin(), markers_.end(), now,
                                     [](TimeNs t, const Marker& m) { return t < m.t; });
    if (it != markers_.end()) playback_->setTime(it->t);
  } else {
    const auto it = std::lower_bound(markers_.begin(), markers_.end(), now,
                                     [](const Marker& m, TimeNs t) { return m.t < t; });
    if (it != markers_.begin()) playback_->setTime(std::prev(it)->t);
  }
}

void TimelinePanel::faster() { speed_->setCurrentIndex(std::min(speed_->currentIndex() + 1, speed_->count() - 1)); }

void TimelinePanel::slower() { speed_->setCurrentIndex(std::max(speed_->currentIndex() - 1, 0)); }

}  // namespace meshproof::viz
