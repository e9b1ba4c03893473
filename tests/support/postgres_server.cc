#include "tests/support/postgres_server.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace chainhub::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kStopTimeout = absl::Seconds(15);

// The bin directory of the highest PostgreSQL version installed (Debian keeps the server
// binaries off PATH, under /usr/lib/postgresql/<major>/bin).
absl::StatusOr<std::string> FindBinDir() {
  glob_t g{};
  std::vector<std::pair<int, std::string>> found;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      const std::filesystem::path initdb(g.gl_pathv[i]);
      const std::filesystem::path bin = initdb.parent_path();
      if (access((bin / "postgres").c_str(), X_OK) != 0) continue;
      int major = 0;
      (void)absl::SimpleAtoi(bin.parent_path().filename().string(), &major);
      found.emplace_back(major, bin.string());
    }
  }
  globfree(&g);
  if (found.empty()) {
    return absl::FailedPreconditionError(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb and postgres): "
        "install them with scripts/deps.sh (Debian packages postgresql and libpq-dev)");
  }
  std::sort(found.begin(), found.end());
  return found.back().second;
}

std::string Tail(const std::string& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 3000) text = text.substr(text.size() - 3000);
  return text;
}

// Forks and execs argv[0] with stdout and stderr appended to `log`, in `cwd`, as uid/gid when
// they are set (the test runs as root). Everything is prepared before fork: the child only makes
// system calls.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, const std::string& log,
                            const std::string& cwd, uid_t uid, gid_t gid) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", log, ": ", std::strerror(errno)));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    if (uid != static_cast<uid_t>(-1)) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(125);
    }
    // Die with the test process, even when it crashes. Set after setuid, which clears it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fd);
  return pid;
}

// Gives `path` and everything under it to uid/gid.
absl::Status ChownTree(const std::string& path, uid_t uid, gid_t gid) {
  if (chown(path.c_str(), uid, gid) != 0) {
    return absl::InternalError(absl::StrCat("chown ", path, ": ", std::strerror(errno)));
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
    if (lchown(entry.path().c_str(), uid, gid) != 0) {
      return absl::InternalError(
          absl::StrCat("chown ", entry.path().string(), ": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  auto bin = FindBinDir();
  if (!bin.ok()) return bin.status();
  server->bin_dir_ = *bin;
  if (geteuid() == 0) {
    // initdb: "cannot be run as root". Run it and the server as the package's system user.
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return absl::FailedPreconditionError(
          "running as root, and there is no `postgres` user to run PostgreSQL as (the Debian "
          "package postgresql creates it; run scripts/deps.sh)");
    }
    server->uid_ = pw->pw_uid;
    server->gid_ = pw->pw_gid;
    if (absl::Status s = ChownTree(server->dir_.path(), server->uid_, server->gid_); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = server->InitCluster(); !s.ok()) return s;
  absl::Status status = LaunchOnFreePort([&](int port) {
    server->port_ = port;
    return server->Launch();
  });
  if (!status.ok()) return status;
  return server;
}

PostgresServer::~PostgresServer() {
  if (running()) (void)Stop();
  // The files belong to the postgres user; root (the test) removes them with the temp dir.
}

std::string PostgresServer::UrlOf(const std::string& database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database);
}

absl::Status PostgresServer::InitCluster() {
  const std::string log = dir_.File("initdb.log");
  const std::vector<std::string> args = {bin_dir_ + "/initdb",
                                         "-D",
                                         dir_.File("data"),
                                         "-A",
                                         "trust",
                                         "-U",
                                         "postgres",
                                         "-E",
                                         "UTF8",
                                         "--locale=C",
                                         "--no-sync",
                                         "--no-instructions"};
  auto pid = Spawn(args, log, dir_.path(), uid_, gid_);
  if (!pid.ok()) return pid.status();
  int wstatus = 0;
  while (waitpid(*pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return absl::InternalError(absl::StrCat("initdb failed (status ", wstatus, "): ", Tail(log)));
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::Launch() {
  const std::string log = dir_.File("postgres.log");
  const std::vector<std::string> args = {
      bin_dir_ + "/postgres",
      "-D",
      dir_.File("data"),
      "-p",
      std::to_string(port_),
      "-k",
      dir_.path(),
      "-c",
      "listen_addresses=127.0.0.1",
      // Test data is disposable: skip every flush to disk.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "shared_buffers=32MB",
      "-c",
      "max_connections=60",
  };
  auto pid = Spawn(args, log, dir_.path(), uid_, gid_);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;

  const std::string ping = absl::StrCat("host=127.0.0.1 port=", port_,
                                        " dbname=postgres user=postgres connect_timeout=2");
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat("postgres (", bin_dir_, ") exited at start: ", Tail(log)));
    }
    if (PQping(ping.c_str()) == PQPING_OK) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return absl::DeadlineExceededError(absl::StrCat("postgres did not accept connections within ",
                                                  absl::FormatDuration(kStartTimeout), ": ",
                                                  Tail(log)));
}

absl::Status PostgresServer::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  if (kill(pid_, SIGINT) != 0 && errno != ESRCH) {
    return absl::InternalError(absl::StrCat("kill: ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + kStopTimeout;
  while (true) {
    int wstatus = 0;
    const pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) break;
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wstatus, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status PostgresServer::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return Launch();
}

absl::Status PostgresServer::Execute(const std::string& database, const std::string& sql) {
  PGconn* conn = PQconnectdb(UrlOf(database).c_str());
  absl::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = absl::UnavailableError(absl::StrCat("connect: ", PQerrorMessage(conn)));
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType s = PQresultStatus(result);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      status = absl::InternalError(absl::StrCat(sql, ": ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase(const std::string& name) {
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return absl::InvalidArgumentError("database name must be [a-z0-9_]+");
    }
  }
  if (absl::Status s = Execute("postgres", absl::StrCat("CREATE DATABASE \"", name, "\""));
      !s.ok()) {
    return s;
  }
  return UrlOf(name);
}

}  // namespace chainhub::testing
