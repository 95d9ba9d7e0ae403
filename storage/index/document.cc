#include "storage/index/document.h"

#include <algorithm>

#include "search/analyzer.h"

namespace importai::storage::index {
namespace {

// Word positions skipped between the parts of one field, so a phrase never
// matches across, say, the body and a link title.
constexpr uint32_t kPartGap = 16;

// Longer "words" (a run of letters with no space) are counted but not
// indexed: nobody searches for them, and they would make huge keys.
constexpr size_t kMaxTermBytes = 64;

class DocumentBuilder {
 public:
  explicit DocumentBuilder(int32_t ordinal) { document_.ordinal = ordinal; }

  void Add(Field field, const std::string& text) {
    if (text.empty()) return;
    uint32_t& next = next_position_[field];
    const int first = static_cast<int>(next);
    std::vector<search::Token> tokens = search::Tokenize(text, first);
    if (tokens.empty()) return;
    for (search::Token& token : tokens) {
      if (token.term.size() > kMaxTermBytes) continue;
      document_.terms[token.term][field].push_back(
          static_cast<uint32_t>(token.position));
    }
    document_.lengths[field] += static_cast<uint32_t>(tokens.size());
    next = static_cast<uint32_t>(tokens.back().position) + 1 + kPartGap;
  }

  void AddSource(const std::string& source) {
    std::string normalized = search::NormalizeSource(source);
    if (normalized.empty()) return;
    auto& sources = document_.sources;
    if (std::find(sources.begin(), sources.end(), normalized) == sources.end())
      sources.push_back(std::move(normalized));
  }

  Document Build() && { return std::move(document_); }

 private:
  Document document_;
  std::array<uint32_t, kFieldCount> next_position_ = {};
};

}  // namespace

std::vector<Document> DocumentsOf(const v1::Issue& issue) {
  std::vector<Document> documents;
  for (const v1::Section& section : issue.sections()) {
    DocumentBuilder builder(section.ordinal());
    builder.Add(kTitle, section.title());
    builder.Add(kDek, section.summary());
    builder.Add(kBody, section.body());
    builder.Add(kBody, section.why_it_matters());
    for (const v1::Link& link : section.links()) {
      builder.Add(kBody, link.title());
      builder.Add(kBody, link.source());
      builder.AddSource(link.source());
    }
    documents.push_back(std::move(builder).Build());
  }
  if (issue.has_tale()) {
    const v1::Tale& tale = issue.tale();
    DocumentBuilder builder(kTaleOrdinal);
    builder.Add(kTitle, tale.title());
    builder.Add(kDek, tale.setting());
    builder.Add(kBody, tale.body());
    for (const std::string& inspiration : tale.inspirations()) {
      builder.Add(kBody, inspiration);
    }
    documents.push_back(std::move(builder).Build());
  }
  return documents;
}

}  // namespace importai::storage::index
