// Schemes (考核方案): PutScheme (a new version when the content changed), GetScheme,
// ListSchemes, ListSchemeVersions. A version is never changed once written, so a run names the
// version it used and stays reproducible.
#include "absl/strings/str_cat.h"
#include "common/base/digest.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/scheme_rules.h"

namespace chainhub::assessment {

using internal::RequireAssessor;

grpc::ServerUnaryReactor* AssessmentService::PutScheme(Ctx* ctx, const v1::PutSchemeRequest* req,
                                                       v1::Scheme* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName name,
                              SchemeName::ParseLatest("scheme.name", req->scheme().name()));
    v1::Scheme scheme = req->scheme();
    scheme.clear_version();
    scheme.clear_etag();
    scheme.clear_create_time();
    scheme.clear_version_time();
    scheme.set_name(name.String());
    const std::string content_key = Sha256Hex(SchemeContentKey(scheme));
    auto put = [&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto indicators, CurrentIndicators(db));
      std::vector<FieldViolation> violations;
      CheckScheme(
          scheme,
          [&](const std::string& indicator) -> const v1::Indicator* {
            auto it = indicators.find(indicator);
            return it == indicators.end() ? nullptr : &it->second;
          },
          &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_ASSIGN_OR_RETURN(auto latest_key, db.LatestContentKey(name.id));
      if (latest_key) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme latest, db.GetScheme(name.id));
        if (!req->etag().empty()) {
          CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), latest.etag(), name.String()));
        }
        if (*latest_key == content_key) {
          *resp = std::move(latest);
          return absl::OkStatus();
        }
      }
      if (req->validate_only()) {
        *resp = scheme;
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.AddSchemeVersion(name.id, scheme, content_key, now));
      return AppendAudit(tx, call, resp->name(), absl::StrCat("version ", resp->version()), now);
    };
    if (req->validate_only()) return ReadTx(put);
    return Mutate(put);
  });
}

grpc::ServerUnaryReactor* AssessmentService::GetScheme(Ctx* ctx, const v1::GetSchemeRequest* req,
                                                       v1::Scheme* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName name, SchemeName::Parse("name", req->name()));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetScheme(name.id, name.version));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListSchemes(Ctx* ctx,
                                                         const v1::ListSchemesRequest* req,
                                                         v1::ListSchemesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::Scheme> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Scheme>(
          "ListSchemes", req->page_size(), req->page_token(), "", "", {},
          OrderSpec{{"s.id"}, false}, [&](const PageQuery& q) { return db.ListSchemes(q); },
          &page, &next));
      for (auto& s : page) *resp->add_schemes() = std::move(s);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListSchemeVersions(
    Ctx* ctx, const v1::ListSchemeVersionsRequest* req, v1::ListSchemeVersionsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName name, SchemeName::ParseLatest("parent", req->parent()));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      CHAINHUB_RETURN_IF_ERROR(db.GetScheme(name.id).status());
      std::vector<v1::Scheme> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Scheme>(
          absl::StrCat("ListSchemeVersions:", name.id), req->page_size(), req->page_token(), "",
          "", {}, OrderSpec{{"v.version"}, true},
          [&](const PageQuery& q) { return db.ListSchemeVersions(name.id, q); }, &page, &next));
      for (auto& s : page) *resp->add_schemes() = std::move(s);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::assessment
