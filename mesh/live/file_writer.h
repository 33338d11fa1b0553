// Appends to a file from a thread of its own, so that a live process's event loop
// never waits for the disk. A sidecar at 30k requests/s makes ~13 MB/s of trace and
// access log; written on the loop, a write() that met the kernel's dirty-page
// throttling or writeback held every answer under way for milliseconds, and the
// sidecar's p99 on a disk-backed /tmp was 1.5-3x the one on tmpfs (Envoy flushes its
// access logs from a thread for the same reason). write() hands a buffer over and
// returns; past kMaxQueuedBytes not yet written it waits, so a disk slower than the
// traffic slows the process rather than losing lines or growing without bound.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace meshproof::live {

class FileWriter {
 public:
  static constexpr std::size_t kMaxQueuedBytes = 64u << 20;

  // Opens `path` for appending (created when absent); throws std::runtime_error
  // ("cannot write PATH: reason") when it cannot.
  explicit FileWriter(const std::string& path);
  // Writes everything queued, then closes the file.
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Queues `bytes` to be appended (nothing when empty) and leaves `bytes` empty, with
  // the capacity of a buffer already written when there is one to reuse.
  void write(std::string& bytes);
  // Returns once everything queued before the call is in the file.
  void sync();

 private:
  void run();
  void writeOut(const std::string& bytes);

  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable work_;     // something queued, or stopping
  std::condition_variable written_;  // a buffer was written
  std::deque<std::string> queue_;
  std::vector<std::string> spares_;  // written buffers, kept for their capacity
  std::size_t queued_bytes_ = 0;
  std::size_t writing_ = 0;  // buffers taken by the thread and not yet written
  bool stopping_ = false;
  bool failed_ = false;  // a write failed (said once on stderr)
  std::thread thread_;
};

}  // namespace meshproof::live
