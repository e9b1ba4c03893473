#include "tests/support/smtp_receiver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace chainhub::testing {

namespace {

// argv: <dir> <port>. One JSON file per message, written whole then renamed into place.
constexpr char kServer[] = R"py(
import email, email.policy, json, os, sys, threading
from aiosmtpd.controller import Controller

directory, port = sys.argv[1], int(sys.argv[2])

class Handler:
    def __init__(self):
        self.count = 0
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_to": list(envelope.rcpt_tos),
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "body": message.get_content(),
        }
        path = os.path.join(directory, "%05d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("listening on %d" % port, flush=True)
threading.Event().wait()
)py";

}  // namespace

absl::Status SmtpReceiver::Start() {
  const std::string script = dir_.File("smtp_server.py");
  std::ofstream(script) << kServer;
  std::filesystem::create_directories(dir_.File("mail"));
  return LaunchOnFreePort([&](int port) -> absl::Status {
    port_ = port;
    process_ = std::make_unique<Subprocess>();
    const std::string python =
        std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    absl::Status started =
        process_->Start(python, {script, dir_.File("mail"), std::to_string(port)});
    if (!started.ok()) return started;
    absl::StatusOr<std::string> line = process_->WaitForLine("listening on ", absl::Seconds(20));
    if (!line.ok()) {
      process_.reset();  // kills and reaps it
      return absl::UnavailableError(
          absl::StrCat("aiosmtpd did not start: ", line.status().message()));
    }
    return absl::OkStatus();
  });
}

std::string SmtpReceiver::Url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

std::vector<SmtpReceiver::Mail> SmtpReceiver::Received() const {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.File("mail"))) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<Mail> out;
  for (const std::string& file : files) {
    std::ifstream in(file);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) continue;
    Mail mail;
    mail.mail_from = j.value("mail_from", "");
    mail.rcpt_to = j.value("rcpt_to", std::vector<std::string>{});
    mail.subject = j.value("subject", "");
    mail.message_id = j.value("message_id", "");
    mail.body = j.value("body", "");
    out.push_back(std::move(mail));
  }
  return out;
}

bool SmtpReceiver::WaitForCount(size_t n, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (Received().size() < n) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

}  // namespace chainhub::testing
