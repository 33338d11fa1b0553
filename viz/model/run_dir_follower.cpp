// Tails the events files of a run directory and merges them behind a watermark (see
// run_dir_follower.h).
#include "viz/model/run_dir_follower.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

namespace meshproof::viz {

namespace fs = std::filesystem;

struct RunDirFollower::File {
  std::string name;  // e.g. "proxy-payments-v1-0.events"
  std::string path;
  std::ifstream in;
  std::uint64_t offset = 0;  // bytes read
  std::string carry;         // a partial last line
  std::uint64_t lines = 0;   // complete lines read
};

RunDirFollower::RunDirFollower(std::string dir, DurationNs watermark) : dir_(std::move(dir)), watermark_(watermark) {}

RunDirFollower::~RunDirFollower() = default;

void RunDirFollower::readFiles() {
  std::error_code error;
  for (fs::directory_iterator it(dir_, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    if (path.extension() != ".events") continue;
    const std::string name = path.filename().string();
    auto& file = files_[name];
    if (!file) {
      file = std::make_unique<File>();
      file->name = name;
      file->path = path.string();
    }
  }
  for (auto& [name, file] : files_) readFile(*file);
}

void RunDirFollower::readFile(File& file) {
  if (!file.in.is_open()) {
    file.in.open(file.path, std::ios::binary);
    if (!file.in.is_open()) return;  // removed meanwhile; the directory check tells
  }
  file.in.clear();
  file.in.seekg(static_cast<std::streamoff>(file.offset));
  std::string text = std::move(file.carry);
  file.carry.clear();
  char buffer[1 << 16];
  while (file.in.read(buffer, sizeof buffer) || file.in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(file.in.gcount()));
    file.offset += static_cast<std::uint64_t>(file.in.gcount());
  }
  std::string_view rest(text);
  while (true) {
    const std::size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) break;
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    ++file.lines;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    try {
      std::optional<chaos::TraceEntry> entry = parser_.parse(line);
      if (!entry) continue;  // a kind this build does not know
      pending_.push_back({std::max<TimeNs>(entry->t, 0), &file.name, file.lines, std::move(entry->event)});
    } catch (const chaos::TraceFormatError& e) {
      if (bad_lines_++ == 0) first_bad_line_ = file.name + ":" + std::to_string(file.lines) + ": " + e.what();
    }
  }
  file.carry.assign(rest);
}

std::vector<chaos::TraceEntry> RunDirFollower::release(TimeNs cutoff, bool all) {
  std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
    if (a.t != b.t) return a.t < b.t;
    if (*a.file != *b.file) return *a.file < *b.file;
    return a.line < b.line;
  });
  std::size_t count = 0;
  while (count < pending_.size() && (all || pending_[count].t <= cutoff)) ++count;
  std::vector<chaos::TraceEntry> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Pending& p = pending_[i];
    if (handed_any_ && p.t < newest_) {
      p.t = newest_;
      ++late_;
    }
    newest_ = p.t;
    handed_any_ = true;
    out.push_back({p.t, std::move(p.event)});
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
  handed_out_ += count;
  return out;
}

std::vector<chaos::TraceEntry> RunDirFollower::poll(TimeNs now) {
  readFiles();
  return release(now - watermark_, false);
}

std::vector<chaos::TraceEntry> RunDirFollower::drain() {
  readFiles();
  return release(0, true);
}

std::optional<TimeNs> readRunT0(const std::string& dir) {
  std::ifstream in(dir + "/run.json", std::ios::binary);
  if (!in) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  const auto it = j.find("t0_ns");
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<TimeNs>();
}

RunDirState runDirState(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return RunDirState::kGone;
  if (fs::exists(fs::path(dir) / "trace.jsonl", error)) return RunDirState::kTraceWritten;
  return RunDirState::kRunning;
}

}  // namespace meshproof::viz
