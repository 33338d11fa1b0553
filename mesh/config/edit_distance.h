// Edit distance and "did you mean" suggestions for misspelt field names and values.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshproof::config {

// Optimal string alignment distance: insertions, deletions, substitutions and
// transpositions of two adjacent characters each cost 1.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo
// (the same word in another case, else distance at most 1 for short words, up to 3
// for long ones); nullopt otherwise.
// Ties go to the earliest candidate.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" when closestMatch finds one, else "".
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace meshproof::config
