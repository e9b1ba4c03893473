// A real SMTP server for the e-mail tests: Debian's python3-aiosmtpd (/usr/bin/python3, whose
// packages apt installs, rather than whichever python3 is first on PATH) on 127.0.0.1 and a free
// port, run as a child process, writing each message it accepts (decoded by Python's email package)
// as one JSON file into a temp directory, which Received() reads back.
#ifndef CHAINHUB_TESTS_SUPPORT_SMTP_RECEIVER_H_
#define CHAINHUB_TESTS_SUPPORT_SMTP_RECEIVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

class SmtpReceiver {
 public:
  struct Mail {
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    // Decoded from RFC 2047.
    std::string subject;
    std::string message_id;
    // Decoded from its transfer encoding.
    std::string body;
  };

  // Starts the server; UNAVAILABLE when aiosmtpd is missing or it does not come up.
  absl::Status Start();
  int port() const { return port_; }
  // smtp://127.0.0.1:<port>
  std::string Url() const;
  std::vector<Mail> Received() const;
  // Waits until `n` messages arrived; false on timeout.
  bool WaitForCount(size_t n, absl::Duration timeout) const;

 private:
  TempDir dir_;
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SMTP_RECEIVER_H_
