#include "common/rpc/auth.h"

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>

#include <jwt.h>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

constexpr size_t kMinSecretBytes = 32;

// Reads a claim that must be an array of strings ("roles", "chains"); absent → empty.
absl::Status ReadStringArray(jwt_t* jwt, const char* claim,
                             std::set<std::string, std::less<>>* out) {
  char* raw = jwt_get_grants_json(jwt, claim);
  if (raw == nullptr) return absl::OkStatus();
  std::unique_ptr<char, decltype(&free)> holder(raw, &free);
  nlohmann::json value = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!value.is_array()) {
    return absl::UnauthenticatedError(absl::StrCat("token claim '", claim, "' must be an array"));
  }
  for (const auto& item : value) {
    if (!item.is_string()) {
      return absl::UnauthenticatedError(
          absl::StrCat("token claim '", claim, "' must hold strings"));
    }
    out->insert(item.get<std::string>());
  }
  return absl::OkStatus();
}

}  // namespace

bool IsKnownRole(absl::string_view role) {
  for (absl::string_view known : {roles::kAdmin, roles::kChainOffice, roles::kDepartment,
                                  roles::kAssessor, roles::kProvince, roles::kViewer}) {
    if (role == known) return true;
  }
  return false;
}

bool Principal::CanWriteChain(absl::string_view chain_id) const {
  if (IsAdmin()) return true;
  return HasRole(roles::kChainOffice) && chains.contains(chain_id);
}

absl::Status RequireAnyRole(const Principal& principal,
                            std::initializer_list<absl::string_view> allowed) {
  for (absl::string_view role : allowed) {
    if (principal.HasRole(role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      principal.subject, " lacks a required role: one of ", absl::StrJoin(allowed, ", ")));
}

absl::Status RequireChainWrite(const Principal& principal, absl::string_view chain_id) {
  if (principal.CanWriteChain(chain_id)) return absl::OkStatus();
  if (principal.HasRole(roles::kChainOffice)) {
    return absl::PermissionDeniedError(
        absl::StrCat(principal.subject, " is a chain office but not of chains/", chain_id));
  }
  return absl::PermissionDeniedError(absl::StrCat(principal.subject, " may not write chains/",
                                                  chain_id, ": needs admin or its chain_office"));
}

absl::StatusOr<std::vector<std::string>> ReadSecretsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("jwt_secret_file: cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  std::vector<std::string> secrets;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(buf.str(), '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) continue;
    if (line.size() < kMinSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat("jwt_secret_file: ", path, " line ",
                                                     line_number, " must hold at least ",
                                                     kMinSecretBytes, " bytes of secret"));
    }
    secrets.emplace_back(line);
  }
  if (secrets.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "jwt_secret_file: ", path, " must hold at least ", kMinSecretBytes, " bytes of secret"));
  }
  return secrets;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> secrets, ReadSecretsFile(path));
  return std::move(secrets.front());
}

absl::StatusOr<Principal> TokenVerifier::VerifyCertificate(absl::string_view common_name) const {
  auto it = certificates_.find(common_name);
  if (it == certificates_.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("no token, and the client certificate ", Quoted(common_name),
                     " stands for no principal (--tls_client_principals_file)"));
  }
  return it->second;
}

absl::StatusOr<absl::flat_hash_map<std::string, Principal>> ParseCertificatePrincipals(
    absl::string_view text) {
  absl::flat_hash_map<std::string, Principal> out;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> words = absl::StrSplit(line, absl::ByAnyChar(" \t"),
                                                          absl::SkipEmpty());
    auto fault = [number](absl::string_view rule) {
      return absl::InvalidArgumentError(absl::StrCat("line ", number, ": ", rule));
    };
    if (words.size() < 3 || words.size() > 4) {
      return fault("must be <common name> <subject> <role>[,<role>…] [<chain>,…]");
    }
    Principal p;
    p.subject = std::string(words[1]);
    for (absl::string_view role : absl::StrSplit(words[2], ',', absl::SkipEmpty())) {
      if (!IsKnownRole(role)) return fault(absl::StrCat(Quoted(role), " is not a role"));
      p.roles.insert(std::string(role));
    }
    if (words.size() == 4) {
      for (absl::string_view chain : absl::StrSplit(words[3], ',', absl::SkipEmpty())) {
        p.chains.insert(std::string(chain));
      }
    }
    if (!out.emplace(std::string(words[0]), std::move(p)).second) {
      return fault(absl::StrCat(Quoted(words[0]), " is listed twice"));
    }
  }
  return out;
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view authorization,
                                                absl::Time now) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError("missing 'authorization: Bearer <token>' metadata");
  }
  absl::string_view token = authorization;
  if (absl::StartsWithIgnoreCase(token, "bearer ")) {
    token.remove_prefix(7);
  } else {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  token = absl::StripAsciiWhitespace(token);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = verified_.find(token); it != verified_.end()) {
      if (it->second.expires < now) return absl::UnauthenticatedError("token has expired");
      return it->second.principal;
    }
  }
  CHAINHUB_ASSIGN_OR_RETURN(Verified verified, Decode(token));
  if (verified.expires < now) return absl::UnauthenticatedError("token has expired");
  absl::MutexLock lock(&mu_);
  // Forgetting them all when full is simpler than an LRU and costs one HMAC per live client.
  if (verified_.size() >= kRemembered) verified_.clear();
  verified_.emplace(std::string(token), verified);
  return verified.principal;
}

absl::StatusOr<TokenVerifier::Verified> TokenVerifier::Decode(absl::string_view token) const {
  jwt_t* raw = nullptr;
  std::string token_str(token);
  for (const std::string& secret : secrets_) {
    if (jwt_decode(&raw, token_str.c_str(), reinterpret_cast<const unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) == 0 &&
        raw != nullptr) {
      break;
    }
    raw = nullptr;
  }
  if (raw == nullptr) {
    return absl::UnauthenticatedError("token is malformed or its signature does not verify");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return absl::UnauthenticatedError("token must be signed with HS256");
  }
  errno = 0;
  long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0) return absl::UnauthenticatedError("token has no 'exp' claim");
  Verified verified;
  verified.expires = absl::FromUnixSeconds(exp) + leeway_;
  Principal& p = verified.principal;
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  if (sub == nullptr || *sub == '\0') return absl::UnauthenticatedError("token has no 'sub' claim");
  p.subject = sub;
  if (absl::Status s = ReadStringArray(jwt.get(), "roles", &p.roles); !s.ok()) return s;
  if (absl::Status s = ReadStringArray(jwt.get(), "chains", &p.chains); !s.ok()) return s;
  for (const auto& role : p.roles) {
    if (!IsKnownRole(role)) {
      return absl::UnauthenticatedError(absl::StrCat("token names an unknown role ", Quoted(role)));
    }
  }
  if (p.roles.empty()) return absl::UnauthenticatedError("token grants no role");
  return verified;
}

absl::StatusOr<std::string> MintToken(absl::string_view secret, const Principal& principal,
                                      absl::Time now, absl::Duration ttl) {
  if (secret.size() < kMinSecretBytes) {
    return absl::InvalidArgumentError("secret: must be at least 32 bytes");
  }
  if (principal.subject.empty()) return absl::InvalidArgumentError("sub: must not be empty");
  for (const auto& role : principal.roles) {
    if (!IsKnownRole(role)) {
      return absl::InvalidArgumentError(
          absl::StrCat("roles: unknown role ", Quoted(role),
                       "; roles are admin, chain_office, department, assessor, province, viewer"));
    }
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  nlohmann::json claims = {
      {"sub", principal.subject},
      {"iat", absl::ToUnixSeconds(now)},
      {"exp", absl::ToUnixSeconds(now + ttl)},
      {"roles", std::vector<std::string>(principal.roles.begin(), principal.roles.end())},
      {"chains", std::vector<std::string>(principal.chains.begin(), principal.chains.end())},
  };
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0) {
    return absl::InternalError("jwt_add_grants_json failed");
  }
  std::string key(secret);
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    return absl::InternalError("jwt_set_alg failed");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return absl::InternalError("jwt_encode_str failed");
  std::string out(encoded);
  free(encoded);
  return out;
}

}  // namespace chainhub
