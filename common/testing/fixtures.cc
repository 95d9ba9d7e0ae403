#include "common/testing/fixtures.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace importai::testing {

std::string SampleIssueText(int number, int variant) {
  constexpr absl::string_view kTemplate = R"(Import AI

Import AI $N: Robots fold laundry; tiny models; and the quiet datacenter

by Ada Example

Welcome to Import AI, a newsletter about AI research. If you'd like to support this, please subscribe.

Subscribe now

Laundry robots finally get good:
…A new dataset of $V thousand folds makes the chore tractable…
Researchers have built a robot that folds towels, shirts and socks at home.
   • It learns from demonstrations recorded with a cheap glove.
Why this matters – chores are the real benchmark: Folding cloth is hard because cloth has no fixed shape.
   Read more: FoldNet: Learning to Fold Anything (arXiv).

***

Do tiny models beat old giants?
…Small models trained on better data win (Import AI #850)…
A team shows that a 1B parameter model trained on filtered data beats a 2020-era 13B model.
   Read more: Small Is Enough (Example Lab blog).

***

Tech Tales:

The Quiet Datacenter
[A server farm at night, 2031]

The fans slowed down one by one, and the machines began to listen to each other.

Things that inspired this story: cooling fans; night shifts; the sound of a room full of computers.

Thanks for reading!
)";
  return absl::StrReplaceAll(kTemplate, {{"$N", absl::StrCat(number)},
                                         {"$V", absl::StrCat(variant + 10)}});
}

std::string ReadCorpusFile(absl::string_view file_name, std::string* where) {
  *where = absl::StrCat(IMPORTAI_CORPUS_DIR, "/", file_name);
  std::ifstream in(*where, std::ios::binary);
  if (!in) return "";
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace importai::testing
