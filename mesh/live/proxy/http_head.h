// The HTTP/1.1 messages the live sidecar reads, kept flat: one string holds the
// start line's pieces and every field's name and value, a vector their offsets, a
// string the body. Beast's basic_parser (its tokenizer, limits and framing: the
// same 400, 431 and 413 as Beast's own parser) fills them through HeadParser. A
// Beast message would allocate every field on its own and link it into two
// intrusive containers; this costs two allocations at most per message (the text,
// a body over 15 bytes), and none when the message is parsed into one whose
// capacity is already there, for up to 8 fields.
//
// The accessors are the subset of Beast's message that the sidecar uses (find,
// iteration with name()/name_string()/value(), result_int(), reason(), method,
// target, version, keep_alive(), body()).
#pragma once
#include <boost/beast/core/string.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meshproof::live {

namespace beast_http = boost::beast::http;

template <bool isRequest>
class HttpHead {
 public:
  class Field {
   public:
    beast_http::field name() const { return id_; }
    std::string_view name_string() const { return {owner_->text_.data() + name_at_, name_size_}; }
    std::string_view value() const { return {owner_->text_.data() + value_at_, value_size_}; }

   private:
    friend class HttpHead;
    const HttpHead* owner_ = nullptr;
    beast_http::field id_ = beast_http::field::unknown;
    std::uint32_t name_at_ = 0, name_size_ = 0, value_at_ = 0, value_size_ = 0;
  };
  // Up to 8 fields in place (wrk's request has one, nginx's answer five).
  using Fields = boost::container::small_vector<Field, 8>;
  using const_iterator = typename Fields::const_iterator;

  HttpHead() = default;
  HttpHead(const HttpHead& other) { *this = other; }
  HttpHead(HttpHead&& other) noexcept { *this = std::move(other); }
  HttpHead& operator=(const HttpHead& other) {
    text_ = other.text_;
    fields_ = other.fields_;
    body_ = other.body_;
    copyScalars(other);
    relink();
    return *this;
  }
  HttpHead& operator=(HttpHead&& other) noexcept {
    text_ = std::move(other.text_);
    fields_ = std::move(other.fields_);
    copyScalars(other);
    relink();
    body_ = std::move(other.body_);
    other.clear();  // a valid, empty message, not offsets into text it no longer has
    return *this;
  }

  // ---- read ----
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  // The first field named `name` (case-insensitive), or end().
  const_iterator find(std::string_view name) const {
    for (auto it = fields_.begin(); it != fields_.end(); ++it)
      if (boost::beast::iequals(it->name_string(), name)) return it;
    return fields_.end();
  }
  const_iterator find(beast_http::field name) const {
    for (auto it = fields_.begin(); it != fields_.end(); ++it)
      if (it->id_ == name) return it;
    return fields_.end();
  }
  std::string_view operator[](beast_http::field name) const {
    const auto it = find(name);
    return it == end() ? std::string_view() : it->value();
  }
  unsigned version() const { return version_; }
  bool keep_alive() const { return keep_alive_; }
  const std::string& body() const { return body_; }
  std::string& body() { return body_; }
  // Its size on the wire in the canonical form: the start line ("GET / HTTP/1.1\r\n",
  // "HTTP/1.1 200 OK\r\n"), "name: value\r\n" per field, the blank line and the body.
  std::size_t wireBytes() const {
    return text_.size() + (isRequest ? 12 : 15) + 4 * fields_.size() + 2 + body_.size();
  }

  // Requests.
  std::string_view method_string() const { return piece(first_at_, first_size_); }
  beast_http::verb method() const { return verb_; }
  std::string_view target() const { return piece(second_at_, second_size_); }
  // Responses.
  unsigned result_int() const { return status_; }
  beast_http::status result() const { return beast_http::int_to_status(status_); }
  std::string_view reason() const { return piece(second_at_, second_size_); }

  // ---- filled by HeadParser ----
  // The memory the message holds for its text and body.
  std::size_t capacityBytes() const { return text_.capacity() + body_.capacity(); }

  void clear() {
    text_.clear();
    fields_.clear();
    body_.clear();
    version_ = 11;
    keep_alive_ = true;
    status_ = 0;
    verb_ = beast_http::verb::unknown;
    first_at_ = first_size_ = second_at_ = second_size_ = 0;
  }
  // Room for `text_bytes` of start line, names and values.
  void reserve(std::size_t text_bytes) { text_.reserve(text_bytes); }
  void setRequestLine(beast_http::verb verb, std::string_view method, std::string_view target, unsigned version) {
    verb_ = verb;
    version_ = version;
    first_at_ = add(method);
    first_size_ = static_cast<std::uint32_t>(method.size());
    second_at_ = add(target);
    second_size_ = static_cast<std::uint32_t>(target.size());
  }
  void setStatusLine(unsigned status, std::string_view reason, unsigned version) {
    status_ = status;
    version_ = version;
    second_at_ = add(reason);
    second_size_ = static_cast<std::uint32_t>(reason.size());
  }
  void addField(beast_http::field id, std::string_view name, std::string_view value) {
    Field f;
    f.owner_ = this;
    f.id_ = id;
    f.name_at_ = add(name);
    f.name_size_ = static_cast<std::uint32_t>(name.size());
    f.value_at_ = add(value);
    f.value_size_ = static_cast<std::uint32_t>(value.size());
    fields_.push_back(f);
  }
  void setKeepAlive(bool keep_alive) { keep_alive_ = keep_alive; }

 private:
  std::string_view piece(std::uint32_t at, std::uint32_t size) const { return {text_.data() + at, size}; }
  std::uint32_t add(std::string_view s) {
    const auto at = static_cast<std::uint32_t>(text_.size());
    text_.append(s.data(), s.size());
    return at;
  }
  void copyScalars(const HttpHead& other) {
    version_ = other.version_;
    keep_alive_ = other.keep_alive_;
    status_ = other.status_;
    verb_ = other.verb_;
    first_at_ = other.first_at_;
    first_size_ = other.first_size_;
    second_at_ = other.second_at_;
    second_size_ = other.second_size_;
  }
  void relink() {
    for (Field& f : fields_) f.owner_ = this;
  }

  std::string text_;
  Fields fields_;
  std::string body_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  unsigned status_ = 0;
  beast_http::verb verb_ = beast_http::verb::unknown;
  std::uint32_t first_at_ = 0, first_size_ = 0, second_at_ = 0, second_size_ = 0;
};

// Beast's basic_parser filling an HttpHead (limits as Beast's parser: body_limit,
// header_limit; the body collected whole, chunked or not).
template <bool isRequest>
class HeadParser final : public beast_http::basic_parser<isRequest> {
 public:
  explicit HeadParser(HttpHead<isRequest>& into) : m_(into) { m_.clear(); }

 private:
  using error_code = boost::beast::error_code;
  void on_request_impl(beast_http::verb verb, boost::beast::string_view method, boost::beast::string_view target,
                       int version, error_code&) override {
    if constexpr (isRequest) m_.setRequestLine(verb, method, target, static_cast<unsigned>(version));
  }
  void on_response_impl(int code, boost::beast::string_view reason, int version, error_code&) override {
    if constexpr (!isRequest) m_.setStatusLine(static_cast<unsigned>(code), reason, static_cast<unsigned>(version));
  }
  void on_field_impl(beast_http::field name, boost::beast::string_view name_string, boost::beast::string_view value,
                     error_code&) override {
    m_.addField(name, name_string, value);
  }
  void on_header_impl(error_code&) override { m_.setKeepAlive(this->keep_alive()); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) override {
    if (content_length && *content_length < (1u << 20)) m_.body().reserve(static_cast<std::size_t>(*content_length));
  }
  std::size_t on_body_impl(boost::beast::string_view body, error_code&) override {
    m_.body().append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, error_code&) override {
    m_.body().append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  HttpHead<isRequest>& m_;
};

}  // namespace meshproof::live
