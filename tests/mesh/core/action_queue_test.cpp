// ActionQueue: actions come out in the order they went in, once each, and the queue
// is reusable after it drains.
#include "mesh/core/action_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace meshproof {
namespace {

TEST(ActionQueue, PollsInOrderThenReportsEmpty) {
  ActionQueue<std::string> q;
  EXPECT_TRUE(q.empty());
  q.push_back("open");
  q.emplace_back(3, 'x');
  EXPECT_FALSE(q.empty());
  std::string out;
  ASSERT_TRUE(q.poll(out));
  EXPECT_EQ(out, "open");
  ASSERT_TRUE(q.poll(out));
  EXPECT_EQ(out, "xxx");
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.poll(out));
  EXPECT_EQ(out, "xxx");  // untouched when there is nothing to poll
}

TEST(ActionQueue, ActionsQueuedWhileDrainingComeAfterTheOthers) {
  ActionQueue<int> q;
  q.push_back(1);
  q.push_back(2);
  int out = 0;
  ASSERT_TRUE(q.poll(out));
  q.push_back(3);  // a handler queued more while its driver was still polling
  ASSERT_TRUE(q.poll(out));
  EXPECT_EQ(out, 2);
  ASSERT_TRUE(q.poll(out));
  EXPECT_EQ(out, 3);
  EXPECT_FALSE(q.poll(out));
}

TEST(ActionQueue, ClearDropsWhatIsQueued) {
  ActionQueue<int> q;
  q.push_back(1);
  q.clear();
  EXPECT_TRUE(q.empty());
  int out = 0;
  EXPECT_FALSE(q.poll(out));
  q.push_back(7);
  ASSERT_TRUE(q.poll(out));
  EXPECT_EQ(out, 7);
}

}  // namespace
}  // namespace meshproof
