// Block-parallel trace loading: the calling thread reads blocks of whole lines and
// appends parsed blocks in order; worker threads parse (see trace_loader.h).
#include "viz/model/trace_loader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaos/trace/trace_reader.h"
#include "viz/model/trace_line_parser.h"

namespace meshproof::viz {
namespace {

struct Block {
  std::uint64_t index = 0;
  std::string owned;      // whole lines read from a stream...
  std::string_view view;  // ...or in a mapped file
  std::string_view text() const { return view.data() != nullptr ? view : std::string_view(owned); }
};

struct ParsedBlock {
  std::vector<chaos::TraceEntry> entries;
  std::uint64_t lines = 0;
  std::uint64_t skipped = 0;
  std::uint64_t ignored = 0;
  std::uint64_t bytes = 0;
  std::uint64_t newlines = 0;  // so that the appending thread can number lines
  std::optional<std::pair<std::uint64_t, std::string>> error;  // line within the block (0-based), message
};

ParsedBlock parseBlock(const Block& block, bool skip_ignored, TraceLineParser& parser) {
  ParsedBlock parsed;
  std::string_view rest = block.text();
  parsed.bytes = rest.size();
  std::uint64_t line_number = 0;
  const char* const end = rest.data() + rest.size();
  for (const char* p = rest.data(); (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
       ++p)
    ++parsed.newlines;
  parsed.entries.reserve(parsed.newlines + 1);
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      ++parsed.lines;
      if (skip_ignored && isIgnoredLine(line)) {
        ++parsed.ignored;
        ++line_number;
        continue;
      }
      try {
        if (!parser.parseInto(line, parsed.entries)) ++parsed.skipped;
      } catch (const chaos::TraceFormatError& e) {
        parsed.error = {line_number, e.what()};
        return parsed;
      }
    }
    ++line_number;
  }
  return parsed;
}

// Reads blocks of whole lines (a line longer than a block makes a longer block).
class BlockReader {
 public:
  BlockReader(std::istream& in, std::size_t block_bytes) : in_(in), block_bytes_(block_bytes) {}

  std::optional<Block> next() {
    if (done_) return std::nullopt;
    Block block;
    block.index = index_++;
    std::string& text = block.owned;
    text = std::move(carry_);
    carry_.clear();
    std::size_t cut = std::string::npos;
    while (cut == std::string::npos) {
      const std::size_t old = text.size();
      text.resize(old + block_bytes_);
      in_.read(text.data() + old, static_cast<std::streamsize>(block_bytes_));
      text.resize(old + static_cast<std::size_t>(in_.gcount()));
      if (!in_) {
        done_ = true;
        break;
      }
      cut = text.rfind('\n');
    }
    if (!done_) {
      carry_.assign(text, cut + 1);
      text.resize(cut + 1);
    }
    if (text.empty() && done_) return std::nullopt;
    return block;
  }

 private:
  std::istream& in_;
  std::size_t block_bytes_;
  std::string carry_;
  std::uint64_t index_ = 0;
  bool done_ = false;
};

// Blocks of whole lines of a file mapped in memory: no copy, no buffer to fill.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return;
    void* data = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd_, 0);
    if (data == MAP_FAILED) return;
    ::madvise(data, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL | MADV_WILLNEED);
    data_ = static_cast<const char*>(data);
    size_ = static_cast<std::size_t>(st.st_size);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool mapped() const { return data_ != nullptr; }
  std::string_view text() const { return {data_, size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

class MappedBlockReader {
 public:
  MappedBlockReader(std::string_view text, std::size_t block_bytes) : text_(text), block_bytes_(block_bytes) {}
  std::optional<Block> next() {
    if (pos_ >= text_.size()) return std::nullopt;
    std::size_t end = std::min(text_.size(), pos_ + block_bytes_);
    if (end < text_.size()) {
      const std::size_t newline = text_.find('\n', end - 1);
      end = newline == std::string_view::npos ? text_.size() : newline + 1;
    }
    Block block;
    block.index = index_++;
    block.view = text_.substr(pos_, end - pos_);
    pos_ = end;
    return block;
  }

 private:
  std::string_view text_;
  std::size_t block_bytes_;
  std::size_t pos_ = 0;
  std::uint64_t index_ = 0;
};

// Worker threads parsing blocks; results collected by block index.
class ParserPool {
 public:
  ParserPool(unsigned threads, bool skip_ignored) : skip_ignored_(skip_ignored) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ParserPool() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_workers_.notify_all();
    for (std::thread& w : workers_) w.join();
  }
  void submit(Block block) {
    {
      std::lock_guard lock(mutex_);
      todo_.push_back(std::move(block));
    }
    wake_workers_.notify_one();
  }
  // Frees parsed events on a worker (a million events' strings are worth a core).
  void dispose(std::vector<chaos::TraceEntry> entries) {
    {
      std::lock_guard lock(mutex_);
      garbage_.push_back(std::move(entries));
    }
    wake_workers_.notify_one();
  }
  ParsedBlock take(std::uint64_t index) {
    std::unique_lock lock(mutex_);
    wake_taker_.wait(lock, [&] { return done_.count(index) > 0; });
    ParsedBlock parsed = std::move(done_.at(index));
    done_.erase(index);
    return parsed;
  }

 private:
  void work() {
    TraceLineParser parser;
    while (true) {
      Block block;
      std::vector<chaos::TraceEntry> garbage;
      {
        std::unique_lock lock(mutex_);
        wake_workers_.wait(lock, [&] { return closing_ || !todo_.empty() || !garbage_.empty(); });
        if (closing_) return;
        if (todo_.empty()) {
          garbage = std::move(garbage_.front());
          garbage_.pop_front();
        } else {
          block = std::move(todo_.front());
          todo_.pop_front();
        }
      }
      if (!garbage.empty()) continue;  // freed as it goes out of scope
      ParsedBlock parsed = parseBlock(block, skip_ignored_, parser);
      {
        std::lock_guard lock(mutex_);
        done_[block.index] = std::move(parsed);
      }
      wake_taker_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_workers_;
  std::condition_variable wake_taker_;
  std::deque<Block> todo_;
  std::deque<std::vector<chaos::TraceEntry>> garbage_;
  std::map<std::uint64_t, ParsedBlock> done_;
  bool closing_ = false;
  bool skip_ignored_;
  std::vector<std::thread> workers_;
};

// Appends in file order; `first_line` is the 1-based number of the block's first line.
void appendBlock(ParsedBlock& parsed, const std::string& source, RunModel& model, LoadSummary& summary,
                 std::uint64_t& first_line) {
  for (const chaos::TraceEntry& entry : parsed.entries) model.append(entry);
  summary.lines += parsed.lines;
  summary.skipped_lines += parsed.skipped;
  summary.ignored_lines += parsed.ignored;
  summary.bytes += parsed.bytes;
  if (parsed.error) throw TraceLoadError(source, first_line + parsed.error->first, parsed.error->second);
  first_line += parsed.newlines;
}

}  // namespace

bool isIgnoredLine(std::string_view line) {
  // `{"t":<decimal>,"kind":"<kind>",` as TraceWriter writes it, and a closing brace.
  constexpr std::string_view kStart = "{\"t\":";
  constexpr std::string_view kKind = ",\"kind\":\"";
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (!line.starts_with(kStart) || !line.ends_with('}')) return false;
  std::size_t i = kStart.size();
  while (i < line.size() && (std::isdigit(static_cast<unsigned char>(line[i])) || line[i] == '.' || line[i] == '-')) ++i;
  if (line.substr(i, kKind.size()) != kKind) return false;
  const std::string_view rest = line.substr(i + kKind.size());
  if (rest.starts_with("client\",") || rest.starts_with("audit\",")) return true;
  if (!rest.starts_with("request\",\"reporter\":\"destination\",")) return false;
  // Kept: plaintext callers (no sidecar, or a claim to make) and UMTLS rejections.
  return rest.find("\"source_principal\":\"\"") == std::string_view::npos &&
         rest.find("UMTLS") == std::string_view::npos;
}

TraceLoadError::TraceLoadError(const std::string& source, std::uint64_t line, const std::string& message)
    : std::runtime_error(source + (line == 0 ? "" : ":" + std::to_string(line)) + ": " + message), line_(line) {}

namespace {

// Parses the reader's blocks (on the pool when there are threads) and appends them in order.
template <typename Reader>
LoadSummary loadBlocks(Reader& reader, const std::string& source, RunModel& model, const LoadOptions& options) {
  LoadSummary summary;
  std::uint64_t first_line = 1;
  auto report = [&] {
    if (options.progress) options.progress({summary.bytes, summary.lines});
  };
  if (options.threads <= 1) {
    TraceLineParser parser;
    while (auto block = reader.next()) {
      ParsedBlock parsed = parseBlock(*block, options.skip_ignored_lines, parser);
      appendBlock(parsed, source, model, summary, first_line);
      report();
    }
  } else {
    ParserPool pool(options.threads, options.skip_ignored_lines);
    const std::uint64_t max_in_flight = 2ull * options.threads + 1;
    std::uint64_t submitted = 0;
    std::uint64_t appended = 0;
    bool more = true;
    while (true) {
      while (more && submitted - appended < max_in_flight) {
        auto block = reader.next();
        if (!block) {
          more = false;
          break;
        }
        pool.submit(std::move(*block));
        ++submitted;
      }
      if (appended == submitted) break;
      ParsedBlock parsed = pool.take(appended++);
      appendBlock(parsed, source, model, summary, first_line);
      pool.dispose(std::move(parsed.entries));
      report();
    }
  }
  return summary;
}

}  // namespace

LoadSummary loadTrace(std::istream& in, const std::string& source, RunModel& model, const LoadOptions& options) {
  BlockReader reader(in, std::max<std::size_t>(options.block_bytes, 1));
  const LoadSummary summary = loadBlocks(reader, source, model, options);
  if (in.bad()) throw TraceLoadError(source, 0, "read error");
  return summary;
}

LoadSummary loadTraceFile(const std::string& path, RunModel& model, const LoadOptions& options) {
  if (const MappedFile file(path); file.mapped()) {
    MappedBlockReader reader(file.text(), std::max<std::size_t>(options.block_bytes, 1));
    return loadBlocks(reader, path, model, options);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TraceLoadError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  return loadTrace(in, path, model, options);
}

}  // namespace meshproof::viz
