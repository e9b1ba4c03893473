// The Chinese message templates of the rules (data/notify/templates/*.md, compiled in): a
// template's first line is the notice's title, the rest (after one blank line) its Markdown body.
// Placeholders `{{attribute}}` print an event fact (event_facts.h); `{{attribute|label}}` prints
// an enum value's Chinese label (LIGHT_RED → 红灯), `{{attribute|yi}}` an amount in yuan as
// 亿元, `{{attribute|list}}` every value joined with 、. A fact the event lacks prints as —.
// Pure.
#ifndef CHAINHUB_SERVICES_NOTIFY_TEMPLATES_H_
#define CHAINHUB_SERVICES_NOTIFY_TEMPLATES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/notify/event_facts.h"

namespace chainhub::notify {

// Every shipped template by name (the file name without .md): one per event type that has its
// own ("project.light_changed"), shared ones ("work_item.escalated"), and "default".
const std::map<std::string, std::string, std::less<>>& ShippedTemplates();

struct RenderedText {
  std::string title;
  std::string body;
};

// The template a rule uses: `name` when set, else the one named after the event type, else
// "default".
const std::string& TemplateFor(absl::string_view name, absl::string_view event_type);

// `text` with its placeholders filled from `facts`; the title is cut to 200 characters.
RenderedText RenderTemplate(absl::string_view text, const EventFacts& facts);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_TEMPLATES_H_
