// The whole window on the flagship trace (offscreen): expectations listed and a click
// moves the timeline to when one was decided; the service panel charts every service
// and lists the selected one's instances; live appends grow the graph; and the
// meshproof-viz program reports a malformed trace with its line and exit status 2,
// directly and through `meshproof viz`.
#include "viz/ui/main_window.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QTableWidget>
#include <QTreeWidget>
#include <fstream>
#include <sstream>

#include "tests/viz/ui/offscreen_app.h"
#include "viz/model/trace_loader.h"
#include "viz/ui/expectations_panel.h"
#include "viz/ui/graph_scene.h"
#include "viz/ui/playback.h"
#include "viz/ui/service_panel.h"

namespace meshproof::viz {
namespace {

std::unique_ptr<RunModel> flagship() {
  auto model = std::make_unique<RunModel>();
  loadTraceFile(testing::flagshipTrace(), *model);
  return model;
}

TEST(MainWindow, ExpectationClicksJumpToWhenTheyWereDecided) {
  testing::offscreenApp();
  MainWindow window;
  window.setRun(flagship(), "flagship.jsonl");
  QTreeWidget* list = window.expectationsPanel()->list();
  ASSERT_EQ(list->topLevelItemCount(), 7);
  QTreeWidgetItem* ejection = nullptr;
  for (int i = 0; i < list->topLevelItemCount(); ++i) {
    EXPECT_EQ(list->topLevelItem(i)->text(0), "PASS");
    if (list->topLevelItem(i)->text(2) == "ejection") ejection = list->topLevelItem(i);
  }
  ASSERT_NE(ejection, nullptr);
  Q_EMIT list->itemClicked(ejection, 0);
  EXPECT_EQ(window.playback()->time(), 20'289'636'572);  // the ejection's at_s
  EXPECT_EQ(window.scene()->shownState().t, 20'289'636'572);
}

TEST(MainWindow, OpensAtTheFirstFaultAndChartsEveryService) {
  testing::offscreenApp();
  MainWindow window;
  window.setRun(flagship(), "flagship.jsonl");
  // Every expectation held: 10 s into the first fault (20 s).
  EXPECT_EQ(window.playback()->time(), 30 * kSecond);
  EXPECT_EQ(window.servicePanel()->chartedNodes().size(), 3u);  // frontend, checkout, payments
  window.scene()->selectNode(static_cast<int>(*window.model()->graph().topology.nodeNamed("payments")));
  QTableWidget* table = window.servicePanel()->instanceTable();
  ASSERT_EQ(table->rowCount(), 3);
  EXPECT_EQ(table->item(0, 0)->text(), "payments-v1-0");
  EXPECT_EQ(table->item(0, 3)->text(), "ejected");
  EXPECT_EQ(table->item(1, 3)->text(), "healthy");
  EXPECT_EQ(table->item(0, 4)->text(), "latency, abort");
}

TEST(MainWindow, LiveAppendsGrowTheGraphAndFollowTheNewestEvent) {
  testing::offscreenApp();
  std::ifstream in(testing::flagshipTrace());
  const auto entries = chaos::readTrace(in).entries;
  MainWindow window;
  const std::size_t half = entries.size() / 2;
  window.appendEvents({entries.begin(), entries.begin() + 50});
  const std::size_t early_nodes = window.scene()->nodeItems().size();
  window.appendEvents({entries.begin() + 50, entries.begin() + half});
  EXPECT_GE(window.scene()->nodeItems().size(), early_nodes);
  EXPECT_EQ(window.scene()->nodeItems().size(), 4u);
  EXPECT_EQ(window.playback()->time(), window.model()->endTime());
  window.appendEvents({entries.begin() + half, entries.end()}, false);
  EXPECT_EQ(window.model()->events(), entries.size());
  EXPECT_EQ(window.expectationsPanel()->list()->topLevelItemCount(), 7);
}

TEST(MainWindow, FileOpenLoadsOnAWorkerThread) {
  testing::offscreenApp();
  MainWindow window;
  window.openFileAsync(QString::fromStdString(testing::flagshipTrace()));
  QElapsedTimer wall;
  wall.start();
  while (!window.model() && wall.elapsed() < 60'000) QApplication::processEvents(QEventLoop::AllEvents, 50);
  ASSERT_NE(window.model(), nullptr);
  EXPECT_EQ(window.scene()->nodeItems().size(), 4u);
  EXPECT_EQ(window.playback()->time(), 30 * kSecond);
}

std::string writeBadTrace() {
  const std::string path = testing::testOutputDir() + "/malformed.jsonl";
  std::ofstream out(path);
  out << R"({"t":0.000000000,"kind":"run","scenario":"x","seed":1,"mode":"sim","duration_s":1.000000000,"wall_epoch_s":0})"
      << "\n{\"t\":0.5,\"kind\":\"breaker\"}\n";
  return path;
}

TEST(VizProgram, AMalformedTraceExitsTwoNamingTheLine) {
  testing::offscreenApp();
  const std::string bad = writeBadTrace();
  std::string errors;
  const int status = testing::runProgram(MESHPROOF_VIZ_BINARY, {QString::fromStdString(bad), "--screenshot",
                                                                QString::fromStdString(bad + ".png")}, &errors);
  EXPECT_EQ(status, 2);
  EXPECT_NE(errors.find(bad + ":2: missing field"), std::string::npos) << errors;
}

TEST(VizProgram, MeshproofVizForwardsToTheVisualizer) {
  testing::offscreenApp();
  const std::string bad = writeBadTrace();
  std::string errors;
  EXPECT_EQ(testing::runProgram(MESHPROOF_BINARY, {"viz", QString::fromStdString(bad), "--screenshot", "x.png"}, &errors), 2);
  EXPECT_NE(errors.find(":2: missing field"), std::string::npos) << errors;
  // A good trace renders.
  const std::string png = testing::testOutputDir() + "/cli-flagship.png";
  std::remove(png.c_str());
  EXPECT_EQ(testing::runProgram(MESHPROOF_BINARY, {"viz", QString::fromStdString(testing::flagshipTrace()), "--at",
                                                   "30", "--screenshot", QString::fromStdString(png)}, &errors), 0)
      << errors;
  EXPECT_FALSE(QImage(QString::fromStdString(png)).isNull());
}

}  // namespace
}  // namespace meshproof::viz
