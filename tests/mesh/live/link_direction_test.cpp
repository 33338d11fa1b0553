// A bandwidth fault's link direction on a clock the test moves: messages go through
// one after another at the rate, a close waits for what came before it, the end of
// the fault lets everything held go at once in order, and a link at full speed that
// holds nothing acts at once.
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
  link_.pass(1'000'000, note("a"));
  EXPECT_EQ(acted_, "a");
}

TEST_F(LinkDirectionTest, MessagesGoThroughOneAfterAnotherAtTheRate) {
  link_.narrow(8'000);  // one byte a millisecond
  ASSERT_TRUE(link_.holding());
  link_.pass(10, note("a"));  // through at 10 ms
  link_.pass(5, note("b"));   // behind it: 15 ms
  link_.pass(0, note("c"));   // a close: with the last message, not before
  EXPECT_EQ(acted_, "");
  EXPECT_EQ(actedBy(14), "a");
  EXPECT_EQ(actedBy(15), "abc");
  // An idle link starts the next message from now, not from when it was last busy.
  now_ = 100 * kMillisecond;
  link_.pass(2, note("d"));
  EXPECT_EQ(actedBy(101), "abc");
  EXPECT_EQ(actedBy(102), "abcd");
}

TEST_F(LinkDirectionTest, WhenTheFaultEndsWhatItHoldsGoesAtOnceInOrder) {
  link_.narrow(8'000);
  link_.pass(100, note("a"));
  link_.pass(100, note("b"));
  link_.widen();
  EXPECT_TRUE(link_.holding()) << "a and b are still held until the loop runs";
  link_.pass(0, note("c"));  // behind them still
  runFor(20);
  EXPECT_EQ(acted_, "abc");
  EXPECT_FALSE(link_.holding());
  link_.pass(100, note("d"));
  EXPECT_EQ(acted_, "abcd");
}

}  // namespace
}  // namespace meshproof::live
