// The writer thread: takes the queued buffers in order and appends each whole.
#include "mesh/live/file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace meshproof::live {
namespace {

constexpr std::size_t kSparesKept = 4;

}  // namespace

FileWriter::FileWriter(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

FileWriter::~FileWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
  ::close(fd_);
}

void FileWriter::write(std::string& bytes) {
  if (bytes.empty()) return;
  std::unique_lock<std::mutex> lock(mutex_);
  written_.wait(lock, [this] { return queued_bytes_ < kMaxQueuedBytes; });
  queued_bytes_ += bytes.size();
  queue_.push_back(std::move(bytes));
  bytes.clear();
  if (!spares_.empty()) {
    bytes.swap(spares_.back());
    spares_.pop_back();
  }
  lock.unlock();
  work_.notify_one();
}

void FileWriter::sync() {
  std::unique_lock<std::mutex> lock(mutex_);
  written_.wait(lock, [this] { return queue_.empty() && writing_ == 0; });
}

void FileWriter::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    std::string bytes = std::move(queue_.front());
    queue_.pop_front();
    ++writing_;
    lock.unlock();
    writeOut(bytes);
    const std::size_t size = bytes.size();
    bytes.clear();
    lock.lock();
    --writing_;
    queued_bytes_ -= size;
    if (spares_.size() < kSparesKept) spares_.push_back(std::move(bytes));
    written_.notify_all();
  }
}

void FileWriter::writeOut(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failed_) std::cerr << "meshproof: writing " << path_ << ": " << std::strerror(errno) << "\n";
      failed_ = true;
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace meshproof::live
