-- Runs once, when the data volume is first initialised (docker-entrypoint-initdb.d).
-- One database per service: each service owns its own data (docs/architecture.md, Services).
CREATE DATABASE registry OWNER chainhub;
CREATE DATABASE intake OWNER chainhub;
CREATE DATABASE assessment OWNER chainhub;
CREATE DATABASE notify OWNER chainhub;
CREATE DATABASE sync OWNER chainhub;
CREATE DATABASE support OWNER chainhub;
