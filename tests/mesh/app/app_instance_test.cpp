// Exact sequences of the application model on a manual clock: FIFO worker slots,
// downstream calls in order with the trace carried over, failure rules, tie order,
// crash and stale inputs.
#include <gtest/gtest.h>

#include "app_harness.h"

namespace meshproof::app {
namespace {

using testing::AppHarness;
using testing::fixedBehavior;
using testing::kTraceparentValue;
using testing::TimedRespond;

constexpr DurationNs ms = kMillisecond;

TEST(AppInstance, ConcurrencyOneServesThreeRequestsOneAfterAnother) {
  AppHarness h(fixedBehavior(10 * ms, 1));
  h.send(1);
  h.send(2);
  h.send(3);
  EXPECT_EQ(h.app.busy(), 1u);
  EXPECT_EQ(h.app.queued(), 2u);
  EXPECT_EQ(h.app.nextDeadline(), 10 * ms);
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(),
            (std::vector<TimedRespond>{{10 * ms, 1, 200}, {20 * ms, 2, 200}, {30 * ms, 3, 200}}));
  EXPECT_EQ(h.app.busy(), 0u);
  EXPECT_EQ(h.app.queued(), 0u);
  EXPECT_EQ(h.app.nextDeadline(), kNever);
  EXPECT_EQ(h.app.counters().served, 3u);
  EXPECT_EQ(h.app.counters().errors, 0u);
}

TEST(AppInstance, UnlimitedConcurrencyAnswersEveryRequestAfterOneServiceTime) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.send(1);
  h.send(2);
  h.send(3);
  EXPECT_EQ(h.app.busy(), 3u);
  EXPECT_EQ(h.app.queued(), 0u);
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(),
            (std::vector<TimedRespond>{{10 * ms, 1, 200}, {10 * ms, 2, 200}, {10 * ms, 3, 200}}));
}

TEST(AppInstance, AQueuedRequestStartsServiceWhenTheSlotFreesNotWhenItArrived) {
  AppHarness h(fixedBehavior(10 * ms, 2));
  h.send(1);
  h.runUntil(4 * ms);
  h.send(2);
  h.runUntil(6 * ms);
  h.send(3);  // both slots busy: waits until request 1 ends at 10ms
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(),
            (std::vector<TimedRespond>{{10 * ms, 1, 200}, {14 * ms, 2, 200}, {20 * ms, 3, 200}}));
}

TEST(AppInstance, EqualCompletionTimesAnswerInServiceStartOrder) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.app.setLatencyFault(10 * ms, 0);
  h.send(9);  // 0 + 10 + 10 = 20ms
  h.app.clearLatencyFault();
  h.runUntil(10 * ms);
  h.send(3);  // 10 + 10 = 20ms, started later
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{20 * ms, 9, 200}, {20 * ms, 3, 200}}));
}

TEST(AppInstance, ZeroServiceTimeIsDueAtOnce) {
  AppHarness h(fixedBehavior(0, 1));
  h.clock.set(5 * ms);
  h.send(1);
  EXPECT_EQ(h.app.nextDeadline(), 5 * ms);
  h.runUntil(5 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{5 * ms, 1, 200}}));
}

std::vector<DownstreamCall> checkoutThenInventory(bool inventory_optional = false) {
  return {DownstreamCall{"checkout", "/checkout", "POST", false},
          DownstreamCall{"inventory", "/stock", "GET", inventory_optional}};
}

TEST(AppInstance, CallsAreMadeInOrderEachAfterTheLastIsAnsweredWithTheTraceCarried) {
  AppHarness h(fixedBehavior(10 * ms, 1, checkoutThenInventory()));
  h.send(1);
  h.send(2);
  h.runUntil(10 * ms);
  auto calls = h.takeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].http.authority, "checkout");
  EXPECT_EQ(calls[0].http.path, "/checkout");
  EXPECT_EQ(calls[0].http.method, "POST");
  ASSERT_NE(calls[0].http.headers.find("traceparent"), nullptr);
  EXPECT_EQ(*calls[0].http.headers.find("traceparent"), kTraceparentValue);
  EXPECT_NE(calls[0].call, 0u);

  h.runUntil(12 * ms);
  h.answer(calls[0].call, 200);
  auto second = h.takeCalls();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].http.authority, "inventory");
  EXPECT_EQ(second[0].http.path, "/stock");
  EXPECT_EQ(second[0].http.method, "GET");
  EXPECT_EQ(*second[0].http.headers.find("traceparent"), kTraceparentValue);
  EXPECT_NE(second[0].call, calls[0].call);
  EXPECT_TRUE(h.takeResponds().empty());
  EXPECT_EQ(h.app.busy(), 1u);  // the slot is held while calling
  EXPECT_EQ(h.app.queued(), 1u);

  h.runUntil(15 * ms);
  h.answer(second[0].call, 200);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{15 * ms, 1, 200}}));
  // Request 2 got the slot at 15ms: its service ends at 25ms with its first call.
  EXPECT_EQ(h.app.nextDeadline(), 25 * ms);
  h.runUntil(25 * ms);
  EXPECT_EQ(h.takeCalls().size(), 1u);
  EXPECT_EQ(h.app.counters().calls_made, 3u);
}

TEST(AppInstance, ARequestWithoutTraceparentMakesCallsWithoutOne) {
  AppHarness h(fixedBehavior(10 * ms, 0, checkoutThenInventory()));
  h.send(1, /*with_traceparent=*/false);
  h.runUntil(10 * ms);
  auto calls = h.takeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].http.headers.find("traceparent"), nullptr);
  EXPECT_TRUE(calls[0].http.headers.items().empty());
}

TEST(AppInstance, OnlyTwoHundredsAndThreeHundredsAreSuccessfulCalls) {
  EXPECT_TRUE(callSucceeded(200));
  EXPECT_TRUE(callSucceeded(204));
  EXPECT_TRUE(callSucceeded(302));
  EXPECT_FALSE(callSucceeded(0));
  EXPECT_FALSE(callSucceeded(100));
  EXPECT_FALSE(callSucceeded(403));
  EXPECT_FALSE(callSucceeded(404));
  EXPECT_FALSE(callSucceeded(500));
  EXPECT_FALSE(callSucceeded(503));
}

TEST(AppInstance, AFailedNonOptionalCallAnswers500AtOnceAndSkipsTheRest) {
  for (int status : {0, 403, 500, 503, 504}) {
    SCOPED_TRACE(status);
    AppHarness h(fixedBehavior(10 * ms, 1, checkoutThenInventory()));
    h.send(1);
    h.send(2);
    h.runUntil(10 * ms);
    auto calls = h.takeCalls();
    ASSERT_EQ(calls.size(), 1u);
    h.runUntil(11 * ms);
    h.answer(calls[0].call, status);
    EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{11 * ms, 1, 500}}));
    EXPECT_TRUE(h.takeCalls().empty());  // inventory is never called
    EXPECT_EQ(h.app.busy(), 1u);         // request 2 took the freed slot
    EXPECT_EQ(h.app.queued(), 0u);
    EXPECT_EQ(h.app.nextDeadline(), 21 * ms);
    EXPECT_EQ(h.app.counters().calls_failed, 1u);
    EXPECT_EQ(h.app.counters().errors, 1u);
  }
}

TEST(AppInstance, AFailedOptionalCallIsSkippedAndTheRequestSucceeds) {
  std::vector<DownstreamCall> calls{DownstreamCall{"recommendations", "/recs", "GET", true},
                                    DownstreamCall{"checkout", "/checkout", "POST", false}};
  AppHarness h(fixedBehavior(10 * ms, 1, calls));
  h.send(1);
  h.runUntil(10 * ms);
  auto first = h.takeCalls();
  ASSERT_EQ(first.size(), 1u);
  h.answer(first[0].call, 503);
  auto second = h.takeCalls();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].http.authority, "checkout");
  h.runUntil(12 * ms);
  h.answer(second[0].call, 200);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{12 * ms, 1, 200}}));
  EXPECT_EQ(h.app.counters().calls_failed, 1u);
  EXPECT_EQ(h.app.counters().errors, 0u);
}

TEST(AppInstance, AnOptionalLastCallFailingStillAnswers200) {
  AppHarness h(fixedBehavior(10 * ms, 1, checkoutThenInventory(/*inventory_optional=*/true)));
  h.send(1);
  h.runUntil(10 * ms);
  h.answer(h.takeCalls().at(0).call, 200);
  h.answer(h.takeCalls().at(0).call, 0);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 1, 200}}));
}

TEST(AppInstance, StaleAndUnknownCallAnswersAreIgnored) {
  AppHarness h(fixedBehavior(10 * ms, 1, checkoutThenInventory()));
  h.send(1);
  h.runUntil(10 * ms);
  const CallId first = h.takeCalls().at(0).call;
  h.answer(first + 1, 503);               // never issued
  h.answer(first ^ (CallId{1} << 40), 503);  // same worker, other sequence
  EXPECT_TRUE(h.takeCalls().empty());
  EXPECT_TRUE(h.takeResponds().empty());
  h.answer(first, 200);
  const CallId second = h.takeCalls().at(0).call;
  h.answer(first, 503);  // answered twice: ignored
  EXPECT_TRUE(h.takeResponds().empty());
  h.answer(second, 200);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 1, 200}}));
}

TEST(AppInstance, ErrorRate100Answers500AfterTheServiceTimeWithoutCalling) {
  Behavior b = fixedBehavior(10 * ms, 1, checkoutThenInventory());
  b.error_rate_percent = 100;
  AppHarness h(b);
  h.send(1);
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 1, 500}}));
  EXPECT_TRUE(h.takeCalls().empty());
  EXPECT_EQ(h.app.counters().errors, 1u);
}

TEST(AppInstance, ErrorRateIsTheShareOfServedRequestsAnswered500) {
  Behavior b = fixedBehavior(0, 0);
  b.error_rate_percent = 30;
  AppHarness h(b);
  constexpr int kRequests = 100'000;
  for (int i = 0; i < kRequests; ++i) h.send(static_cast<RequestId>(i));
  h.runUntil(0);
  ASSERT_EQ(h.responds.size(), static_cast<std::size_t>(kRequests));
  // Binomial(100k, 0.3): sd 0.145 points; 1 point is 7 sd.
  EXPECT_NEAR(100.0 * static_cast<double>(h.app.counters().errors) / kRequests, 30.0, 1.0);
}

TEST(AppInstance, CrashDropsEverythingAndAnswersNothingAfter) {
  AppHarness h(fixedBehavior(10 * ms, 1, checkoutThenInventory()));
  h.send(1);
  h.send(2);
  h.send(3);
  h.runUntil(10 * ms);
  const CallId call = h.takeCalls().at(0).call;
  h.app.crash();
  EXPECT_TRUE(h.app.crashed());
  EXPECT_EQ(h.app.busy(), 0u);
  EXPECT_EQ(h.app.queued(), 0u);
  EXPECT_EQ(h.app.nextDeadline(), kNever);
  EXPECT_EQ(h.app.counters().dropped_by_crash, 3u);
  h.answer(call, 200);
  h.send(4);
  h.runUntil(1000 * ms);
  EXPECT_TRUE(h.takeResponds().empty());
  EXPECT_TRUE(h.takeCalls().empty());
  EXPECT_EQ(h.app.counters().received, 3u);
}

TEST(AppInstance, CrashDropsActionsNotYetPolled) {
  ManualClock clock;
  AppInstance app(fixedBehavior(0, 0), "a-0", clock, Rng(1));
  app.setAbortFault(503, 100);
  app.request(1, HttpRequest{});
  app.crash();
  AppAction a;
  EXPECT_FALSE(app.pollAction(a));
}

TEST(AppInstance, SameSeedSameAnswersAndTheInstanceNameSelectsTheStream) {
  auto run = [](std::string name) {
    ManualClock clock;
    Behavior b;
    b.service_time = ServiceTime::exponential(10 * ms);
    b.concurrency = 2;
    b.error_rate_percent = 10;
    AppInstance app(b, std::move(name), clock, Rng(77));
    std::vector<std::pair<TimeNs, int>> out;
    for (RequestId i = 0; i < 50; ++i) app.request(i, HttpRequest{});
    while (app.nextDeadline() != kNever) {
      clock.set(app.nextDeadline());
      app.advance();
      AppAction a;
      while (app.pollAction(a)) out.emplace_back(clock.now(), std::get<Respond>(a).status);
    }
    return out;
  };
  const auto first = run("payments-v1-0");
  EXPECT_EQ(first.size(), 50u);
  EXPECT_EQ(first, run("payments-v1-0"));
  EXPECT_NE(first, run("payments-v1-1"));
}

}  // namespace
}  // namespace meshproof::app
