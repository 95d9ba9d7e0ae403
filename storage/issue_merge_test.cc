#include "storage/issue_merge.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/testing/make_issue.h"

namespace importai::storage {
namespace {

using ::importai::storage::testing::MakeIssue;
using ::importai::storage::testing::WithDetails;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kIssueUri[] = "https://example.org/p/import-ai-7";

TEST(IssueMergeTest, SameWordsAndNothingNewIsUnchanged) {
  const v1::Issue text = MakeIssue(7, 2, true);
  MergedIssue merged = MergeIssue(text, text);
  EXPECT_FALSE(merged.changed);
  EXPECT_THAT(merged.notes, IsEmpty());

  const v1::Issue rich = WithDetails(text);
  merged = MergeIssue(rich, rich);
  EXPECT_FALSE(merged.changed);
  EXPECT_THAT(merged.notes, IsEmpty());
}

TEST(IssueMergeTest, SameWordsWithNewDetailsIsChanged) {
  const v1::Issue text = MakeIssue(7, 2, true);
  const MergedIssue merged = MergeIssue(text, WithDetails(text));
  EXPECT_TRUE(merged.changed);
  EXPECT_THAT(merged.notes, IsEmpty());
  EXPECT_EQ(merged.issue.uri(), kIssueUri);
  EXPECT_TRUE(merged.issue.has_publish_time());
  EXPECT_EQ(merged.issue.sections(1).links(0).uri(),
            "https://example.org/paper-2");
}

TEST(IssueMergeTest, PoorerCopyKeepsTheStoredDetailsAndSaysSo) {
  const v1::Issue rich = WithDetails(MakeIssue(7, 2, true));
  const MergedIssue merged = MergeIssue(rich, MakeIssue(7, 2, true));
  EXPECT_FALSE(merged.changed);
  EXPECT_EQ(merged.issue.uri(), kIssueUri);
  EXPECT_EQ(merged.issue.publish_time().seconds(),
            rich.publish_time().seconds());
  EXPECT_EQ(merged.issue.sections(0).links(0).uri(),
            "https://example.org/paper-1");
  EXPECT_THAT(merged.notes,
              ElementsAre("this copy lacks the issue's address, its date and "
                          "2 link addresses of the stored issue; the stored "
                          "ones are kept"));
}

TEST(IssueMergeTest, CopyWithOnlySomeDetailsNamesWhatWasKept) {
  const v1::Issue rich = WithDetails(MakeIssue(7, 2, true));
  v1::Issue dated = MakeIssue(7, 2, true);
  *dated.mutable_publish_time() = rich.publish_time();
  const MergedIssue merged = MergeIssue(rich, dated);
  EXPECT_FALSE(merged.changed);
  EXPECT_THAT(merged.notes,
              ElementsAre(HasSubstr("lacks the issue's address and 2 link "
                                    "addresses of the stored issue")));
}

TEST(IssueMergeTest, CopyDetailsWinOverStoredOnes) {
  const v1::Issue rich = WithDetails(MakeIssue(7, 2, true));
  v1::Issue moved = rich;
  moved.set_uri("https://example.org/moved");
  moved.mutable_sections(0)->mutable_links(0)->set_uri(
      "https://example.org/mirror");
  const MergedIssue merged = MergeIssue(rich, moved);
  EXPECT_TRUE(merged.changed);
  EXPECT_EQ(merged.issue.uri(), "https://example.org/moved");
  EXPECT_EQ(merged.issue.sections(0).links(0).uri(),
            "https://example.org/mirror");
  EXPECT_EQ(merged.issue.sections(1).links(0).uri(),
            "https://example.org/paper-2");
}

TEST(IssueMergeTest, OtherWordsTakeTheCopyAndCarryDetailsOver) {
  const v1::Issue rich = WithDetails(MakeIssue(7, 2, true));
  // Variant 1 changes the section titles, not the links.
  const MergedIssue merged =
      MergeIssue(rich, MakeIssue(7, 2, false, /*variant=*/1));
  EXPECT_TRUE(merged.changed);
  EXPECT_EQ(merged.issue.title(), "Issue 7 variant 1");
  EXPECT_FALSE(merged.issue.has_tale());
  EXPECT_EQ(merged.issue.content_hash(), "hash-7-2-0-1");
  EXPECT_EQ(merged.issue.uri(), kIssueUri);
  EXPECT_EQ(merged.issue.sections(0).links(0).uri(),
            "https://example.org/paper-1");
  EXPECT_THAT(merged.notes, ElementsAre(HasSubstr("the stored ones are kept")));
}

TEST(IssueMergeTest, LinksMatchBySectionThenByTextAnywhere) {
  v1::Issue stored = WithDetails(MakeIssue(7, 2, true));
  // The same link text in both sections, with different addresses.
  stored.mutable_sections(1)->mutable_links(0)->set_text(
      stored.sections(0).links(0).text());
  // The copy also has that link in a third section, where only the match by
  // text anywhere (the first stored one) finds it.
  v1::Issue copy = MakeIssue(7, 3, true, /*variant=*/2);
  copy.mutable_sections(1)->mutable_links(0)->set_text(
      stored.sections(0).links(0).text());
  *copy.mutable_sections(2)->add_links() = copy.sections(1).links(0);
  const MergedIssue merged = MergeIssue(stored, copy);
  EXPECT_EQ(merged.issue.sections(0).links(0).uri(),
            "https://example.org/paper-1");
  EXPECT_EQ(merged.issue.sections(1).links(0).uri(),
            "https://example.org/paper-2");
  EXPECT_THAT(merged.issue.sections(2).links(0).uri(), IsEmpty());  // Paper 3
  EXPECT_EQ(merged.issue.sections(2).links(1).uri(),
            "https://example.org/paper-1");
}

TEST(IssueMergeTest, LinksTheStoredIssueDoesNotHaveStayWithoutAddress) {
  const v1::Issue stored = WithDetails(MakeIssue(7, 1, false));
  v1::Issue copy = MakeIssue(7, 1, false, /*variant=*/1);
  copy.mutable_sections(0)->mutable_links(0)->set_text("Read more: New (x).");
  const MergedIssue merged = MergeIssue(stored, copy);
  EXPECT_TRUE(merged.changed);
  EXPECT_THAT(merged.issue.sections(0).links(0).uri(), IsEmpty());
}

}  // namespace
}  // namespace importai::storage
