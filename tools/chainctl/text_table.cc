#include "tools/chainctl/text_table.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_split.h"

namespace chainhub::chainctl {
namespace {

// Decodes one UTF-8 code point at text[*pos], advancing *pos; U+FFFD for a malformed sequence.
char32_t NextCodePoint(absl::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(*pos);
  int extra = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++*pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    ++*pos;
    return 0xFFFD;
  }
  if (*pos + extra >= text.size()) {  // truncated sequence
    ++*pos;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const unsigned char b = byte(*pos + i);
    if ((b & 0xC0) != 0x80) {
      ++*pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *pos += extra + 1;
  return cp;
}

bool IsZeroWidth(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) ||  // combining diacritics
         (cp >= 0x200B && cp <= 0x200F) ||  // zero-width space, joiners, marks
         (cp >= 0xFE00 && cp <= 0xFE0F) ||  // variation selectors
         cp == 0xFEFF;
}

// East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt, coarsely.
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) ||    // Hangul Jamo
         (cp >= 0x2E80 && cp <= 0x303E) ||    // CJK radicals, punctuation
         (cp >= 0x3041 && cp <= 0x33FF) ||    // kana, bopomofo, CJK compatibility
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
         (cp >= 0xA000 && cp <= 0xA4CF) ||    // Yi
         (cp >= 0xAC00 && cp <= 0xD7A3) ||    // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||    // CJK compatibility forms
         (cp >= 0xFF00 && cp <= 0xFF60) ||    // fullwidth forms （，）
         (cp >= 0xFFE0 && cp <= 0xFFE6) ||    // fullwidth signs
         (cp >= 0x1F300 && cp <= 0x1F64F) ||  // pictographs, emoticons
         (cp >= 0x1F900 && cp <= 0x1F9FF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);  // CJK extensions B and later
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = NextCodePoint(text, &pos);
    if (IsZeroWidth(cp)) continue;
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

std::string PadRight(absl::string_view text, int width) {
  std::string out(text);
  const int w = DisplayWidth(text);
  if (w < width) out.append(static_cast<size_t>(width - w), ' ');
  return out;
}

void TextTable::Print(std::ostream& out) const {
  std::vector<int> widths(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) widths[i] = DisplayWidth(header_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      if (i + 1 == widths.size()) {
        line += cell;
      } else {
        line += PadRight(cell, widths[i]);
        line += "  ";
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(header_);
  for (const auto& row : rows_) print_row(row);
}

void KeyValueList::Print(std::ostream& out) const {
  int key_width = 0;
  for (const auto& [key, value] : items_) key_width = std::max(key_width, DisplayWidth(key));
  for (const auto& [key, value] : items_) {
    bool first = true;
    for (absl::string_view line : absl::StrSplit(value, '\n')) {
      std::string text = PadRight(first ? key : "", key_width) + "  " + std::string(line);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << "\n";
      first = false;
    }
  }
}

}  // namespace chainhub::chainctl
