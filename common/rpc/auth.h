// Bearer-token authentication (HS256 JWTs, libjwt) and the authorization rules every service
// shares. Claims: sub ("departments/…" or "systems/…"), roles, chains (chain ids a chain office may
// write), exp. Missing or bad token → UNAUTHENTICATED; wrong role or chain → PERMISSION_DENIED.
#ifndef CHAINHUB_COMMON_AUTH_H_
#define CHAINHUB_COMMON_AUTH_H_

#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace chainhub {

namespace roles {
inline constexpr absl::string_view kAdmin = "admin";
inline constexpr absl::string_view kChainOffice = "chain_office";
inline constexpr absl::string_view kDepartment = "department";
inline constexpr absl::string_view kAssessor = "assessor";
inline constexpr absl::string_view kProvince = "province";
inline constexpr absl::string_view kViewer = "viewer";
}  // namespace roles

// True for the six role names above.
bool IsKnownRole(absl::string_view role);

// Who is calling, from a verified token.
struct Principal {
  std::string subject;
  std::set<std::string, std::less<>> roles;
  // Chain ids ("pv", not "chains/pv") a chain office may write.
  std::set<std::string, std::less<>> chains;

  bool HasRole(absl::string_view role) const { return roles.contains(role); }
  bool IsAdmin() const { return HasRole(roles::kAdmin); }
  // Admin, or a chain office holding `chain_id`.
  bool CanWriteChain(absl::string_view chain_id) const;
  // Any of the six roles: every role may read.
  bool CanRead() const { return !roles.empty(); }
};

// OK when the principal holds one of `allowed`, else PERMISSION_DENIED naming the method's needs.
absl::Status RequireAnyRole(const Principal& principal,
                            std::initializer_list<absl::string_view> allowed);
// OK when the principal may write the chain, else PERMISSION_DENIED naming the chain.
absl::Status RequireChainWrite(const Principal& principal, absl::string_view chain_id);

// Reads the secrets of --jwt_secret_file: one per line (trailing whitespace trimmed, blank lines
// ignored, each at least 32 bytes). The first signs what this process mints; every one verifies,
// so a rotation keeps the old secret on a later line until the tokens it signed have expired
// (docs/operations.md, "Rotate secrets").
absl::StatusOr<std::vector<std::string>> ReadSecretsFile(const std::string& path);
// The signing secret: the first of ReadSecretsFile.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

// Thread-safe. A token that verified is remembered (at most kRemembered of them) until it
// expires, so a client's calls after its first cost a hash lookup instead of an HMAC and a JSON
// parse; a token that did not verify is checked afresh every time.
class TokenVerifier {
 public:
  explicit TokenVerifier(std::string secret) : secrets_{std::move(secret)} {}
  // Accepts a token signed with any of `secrets` (the first is tried first).
  explicit TokenVerifier(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {}
  // `authorization` is the metadata value ("Bearer <jwt>"). Checks the signature (HS256 only:
  // "none" and other algorithms are refused), exp (required, with `leeway`), and the claims' shape.
  absl::StatusOr<Principal> Verify(absl::string_view authorization, absl::Time now) const;

  // Mutual TLS: the principals that client certificates stand for, by the certificate's common
  // name (ParseCertificatePrincipals). Set before serving; a call without a token whose verified
  // certificate's common name is listed is that principal.
  void SetCertificatePrincipals(absl::flat_hash_map<std::string, Principal> principals) {
    certificates_ = std::move(principals);
  }
  bool accepts_certificates() const { return !certificates_.empty(); }
  // UNAUTHENTICATED when the common name is not listed.
  absl::StatusOr<Principal> VerifyCertificate(absl::string_view common_name) const;

  static constexpr size_t kRemembered = 4096;

 private:
  struct Verified {
    Principal principal;
    absl::Time expires;  // exp plus leeway
  };
  absl::StatusOr<Verified> Decode(absl::string_view token) const;

  std::vector<std::string> secrets_;
  absl::flat_hash_map<std::string, Principal> certificates_;
  absl::Duration leeway_ = absl::Seconds(30);
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> verified_ ABSL_GUARDED_BY(mu_);
};

// Reads the certificate → principal file of --tls_client_principals_file: one line per client
// certificate, "<common name> <subject> <role>[,<role>…] [<chain>,…]" separated by blanks; blank
// lines and lines starting with '#' are ignored. INVALID_ARGUMENT naming the line and its fault.
absl::StatusOr<absl::flat_hash_map<std::string, Principal>> ParseCertificatePrincipals(
    absl::string_view text);

// Mints an HS256 token for `principal`, valid for `ttl` from `now` (chainctl token mint, tests).
absl::StatusOr<std::string> MintToken(absl::string_view secret, const Principal& principal,
                                      absl::Time now, absl::Duration ttl);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_AUTH_H_
