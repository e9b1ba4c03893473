// Certificates for TLS tests, made with the openssl command line in a temp dir: a CA (ca.pem), a
// server certificate for 127.0.0.1 and localhost (server.pem, server.key), and one client
// certificate per common name (<name>.pem, <name>.key), all signed by the CA and valid a day.
#ifndef CHAINHUB_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define CHAINHUB_TESTS_SUPPORT_TEST_CERTIFICATES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

absl::Status MakeTestCertificates(const TempDir& dir,
                                  const std::vector<std::string>& client_common_names);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_TEST_CERTIFICATES_H_
