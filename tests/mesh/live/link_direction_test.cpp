// A bandwidth fault's link direction on a clock the test moves: on one flow messages
// go through one after another at the rate and a close waits for what came before
// it; flows share the rate equally (processor sharing, as SimGrid shares a link: the
// known answers below are its finishing times); the end of the fault lets everything
// held go at once in order; a link at full speed that holds nothing acts at once.
#include "mesh/live/proxy/link_direction.h"

#include <gtest/gtest.h>

#include <string>

namespace meshproof::live {
namespace {

class LinkDirectionTest : public ::testing::Test {
 protected:
  void runFor(int ms) {
    io_.restart();
    io_.run_for(std::chrono::milliseconds(ms));
  }
  // What has been acted on once the clock reads `at_ms` (the loop run a little).
  std::string actedBy(int at_ms) {
    now_ = at_ms * kMillisecond;
    runFor(20);
    return acted_;
  }
  std::function<void()> note(const std::string& what) {
    return [this, what] { acted_ += what; };
  }

  boost::asio::io_context io_;
  TimeNs now_ = 0;
  LinkDirection link_{io_, [this] { return now_; }};
  std::string acted_;
};

TEST_F(LinkDirectionTest, AtFullSpeedItActsAtOnce) {
  EXPECT_FALSE(link_.holding());
  link_.pass(1, 1'000'000, note("a"));
  EXPECT_EQ(acted_, "a");
}

TEST_F(LinkDirectionTest, OnOneFlowMessagesGoThroughOneAfterAnotherAtTheRate) {
  link_.narrow(8'000);  // one byte a millisecond
  ASSERT_TRUE(link_.holding());
  link_.pass(1, 10, note("a"));  // through at 10 ms
  link_.pass(1, 5, note("b"));   // behind it: 15 ms
  link_.pass(1, 0, note("c"));   // a close: with the last message, not before
  EXPECT_EQ(acted_, "");
  EXPECT_EQ(actedBy(14), "a");
  EXPECT_EQ(actedBy(15), "abc");
  // An idle link starts the next message from now, not from when it was last busy.
  now_ = 100 * kMillisecond;
  link_.pass(1, 2, note("d"));
  EXPECT_EQ(actedBy(101), "abc");
  EXPECT_EQ(actedBy(102), "abcd");
}

TEST_F(LinkDirectionTest, WhenTheFaultEndsWhatItHoldsGoesAtOnceInOrder) {
  link_.narrow(8'000);
  link_.pass(1, 100, note("a"));
  link_.pass(2, 100, note("b"));
  link_.pass(1, 50, note("c"));
  link_.widen();
  EXPECT_TRUE(link_.holding()) << "a, b and c are still held until the loop runs";
  link_.pass(3, 0, note("d"));  // behind them still, on a flow of its own
  EXPECT_EQ(acted_, "");
  runFor(20);
  EXPECT_EQ(acted_, "abcd");
  EXPECT_FALSE(link_.holding());
  link_.pass(1, 100, note("e"));
  EXPECT_EQ(acted_, "abcde");
}

TEST_F(LinkDirectionTest, FlowsShareTheRateEqually) {
  link_.narrow(8'000);  // one byte a millisecond
  // Two flows of 10 bytes each get half the rate: both through at 20 ms, not 10 and 20.
  link_.pass(1, 10, note("a"));
  link_.pass(2, 10, note("b"));
  EXPECT_EQ(actedBy(19), "");
  EXPECT_EQ(actedBy(20), "ab");
}

TEST_F(LinkDirectionTest, ASmallMessageIsNotStuckBehindALargeOneOnAnotherFlow) {
  link_.narrow(8'000);
  link_.pass(1, 30, note("L"));  // alone until 5 ms: 25 bytes left then
  now_ = 5 * kMillisecond;
  link_.pass(2, 4, note("s"));  // shares from 5 ms: through at 5 + 4 * 2 = 13 ms
  link_.pass(2, 0, note("c"));  // its close, right behind it
  EXPECT_EQ(actedBy(12), "");
  EXPECT_EQ(actedBy(13), "sc");
  // L: 25 - 4 = 21 bytes left at 13 ms, alone again: through at 34 ms (FIFO: 30 and 34).
  EXPECT_EQ(actedBy(33), "sc");
  EXPECT_EQ(actedBy(34), "scL");
}

TEST_F(LinkDirectionTest, ANewRateAppliesToWhatIsLeft) {
  link_.narrow(8'000);
  link_.pass(1, 20, note("a"));  // 10 bytes by 10 ms
  now_ = 10 * kMillisecond;
  link_.narrow(16'000);  // two bytes a millisecond: the other 10 take 5 ms
  EXPECT_EQ(actedBy(14), "");
  EXPECT_EQ(actedBy(15), "a");
}

}  // namespace
}  // namespace meshproof::live
