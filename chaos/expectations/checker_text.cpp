// Reason wording shared by the checkers.
#include "chaos/expectations/checker_text.h"

#include "chaos/text/numbers.h"

namespace meshproof::chaos {

std::string secondsText(TimeNs t) { return fixedText(toSeconds(t)) + " s"; }
std::string millisText(DurationNs d) { return fixedText(toMillis(d)) + " ms"; }
std::string percentText(double percent) { return fixedText(percent) + "%"; }
std::string closedWindowText(TimeNs from, TimeNs to) {
  return "[" + secondsText(from) + ", " + secondsText(to) + "]";
}

}  // namespace meshproof::chaos
