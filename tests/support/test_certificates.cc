#include "tests/support/test_certificates.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace chainhub::testing {

absl::Status MakeTestCertificates(const TempDir& dir,
                                  const std::vector<std::string>& client_common_names) {
  std::ofstream(dir.File("server.ext")) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  std::ofstream script(dir.File("certs.sh"));
  script << "set -e\n"
         << "cd '" << dir.path() << "'\n"
         << "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
            "-subj '/CN=chainhub test CA'\n"
         << "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
            "-subj '/CN=localhost'\n"
         << "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
            "-out server.pem -days 1 -extfile server.ext\n";
  for (const std::string& name : client_common_names) {
    script << "openssl req -newkey rsa:2048 -nodes -keyout '" << name << ".key' -out '" << name
           << ".csr' -subj '/CN=" << name << "'\n"
           << "openssl x509 -req -in '" << name << ".csr' -CA ca.pem -CAkey ca.key "
           << "-CAcreateserial -out '" << name << ".pem' -days 1\n";
  }
  script.close();
  const std::string run =
      absl::StrCat("sh '", dir.File("certs.sh"), "' >'", dir.File("certs.log"), "' 2>&1");
  if (std::system(run.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("openssl could not make the test certificates (", dir.File("certs.log"), ")"));
  }
  return absl::OkStatus();
}

}  // namespace chainhub::testing
