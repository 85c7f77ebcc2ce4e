# Every input of deploy/oci passes through these variables before any resource reads it, so a bad value stops
# `terraform plan` with the message below. The rules are tested offline in tests/validation.tftest.hcl.

variable "name_prefix" {
  description = "Prefix of every display name and of the VCN's DNS label: 2-15 lowercase letters, digits or hyphens, starting with a letter."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,13}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: 2-15 characters, lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vcn_cidr" {
  description = "The VCN's IPv4 range: a private (RFC 1918) block from /16 to /24."
  type        = string
  validation {
    condition = (
      can(cidrhost(var.vcn_cidr, 0)) &&
      can(regex("^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)", var.vcn_cidr)) &&
      try(tonumber(split("/", var.vcn_cidr)[1]) >= 16 && tonumber(split("/", var.vcn_cidr)[1]) <= 24, false) &&
      try(cidrhost(var.vcn_cidr, 0) == split("/", var.vcn_cidr)[0], false)
    )
    error_message = "vcn_cidr: a private IPv4 network address with a prefix from /16 to /24 (10.0.0.0/16, 172.16.0.0/20, 192.168.0.0/24), host bits zero."
  }
}

variable "db_subnet_cidr" {
  description = "The database subnet: inside vcn_cidr, up to /29, not overlapping the application subnet."
  type        = string
  validation {
    condition = (
      can(cidrhost(var.db_subnet_cidr, 0)) &&
      try(tonumber(split("/", var.db_subnet_cidr)[1]) >= tonumber(split("/", var.vcn_cidr)[1]) && tonumber(split("/", var.db_subnet_cidr)[1]) <= 29, false) &&
      try(cidrhost(var.db_subnet_cidr, 0) == split("/", var.db_subnet_cidr)[0], false) &&
      try(cidrhost("${split("/", var.db_subnet_cidr)[0]}/${split("/", var.vcn_cidr)[1]}", 0) == cidrhost(var.vcn_cidr, 0), false)
    )
    error_message = "db_subnet_cidr: a network address inside vcn_cidr with a prefix from the VCN's up to /29, host bits zero."
  }
}

variable "app_subnet_cidr" {
  description = "The application subnet: inside vcn_cidr, up to /29, not overlapping the database subnet."
  type        = string
  validation {
    condition = (
      can(cidrhost(var.app_subnet_cidr, 0)) &&
      try(tonumber(split("/", var.app_subnet_cidr)[1]) >= tonumber(split("/", var.vcn_cidr)[1]) && tonumber(split("/", var.app_subnet_cidr)[1]) <= 29, false) &&
      try(cidrhost(var.app_subnet_cidr, 0) == split("/", var.app_subnet_cidr)[0], false) &&
      try(cidrhost("${split("/", var.app_subnet_cidr)[0]}/${split("/", var.vcn_cidr)[1]}", 0) == cidrhost(var.vcn_cidr, 0), false)
    )
    error_message = "app_subnet_cidr: a network address inside vcn_cidr with a prefix from the VCN's up to /29, host bits zero."
  }
  validation {
    # Two blocks overlap when their network addresses agree at the shorter of the two prefixes.
    condition = try(
      cidrhost("${split("/", var.app_subnet_cidr)[0]}/${min(tonumber(split("/", var.app_subnet_cidr)[1]), tonumber(split("/", var.db_subnet_cidr)[1]))}", 0) !=
      cidrhost("${split("/", var.db_subnet_cidr)[0]}/${min(tonumber(split("/", var.app_subnet_cidr)[1]), tonumber(split("/", var.db_subnet_cidr)[1]))}", 0),
      false
    )
    error_message = "app_subnet_cidr: overlaps db_subnet_cidr; the two subnets must be disjoint."
  }
}

variable "app_ingress_cidrs" {
  description = "Who may reach the service's port: your load balancer's subnet, VPN or bastion ranges. Never the whole internet."
  type        = list(string)
  validation {
    condition     = length(var.app_ingress_cidrs) > 0 && alltrue([for c in var.app_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "app_ingress_cidrs: at least one IPv4 CIDR block, each valid (e.g. 10.0.0.0/24)."
  }
  validation {
    condition     = alltrue([for c in var.app_ingress_cidrs : try(tonumber(split("/", c)[1]) >= 8, false)])
    error_message = "app_ingress_cidrs: 0.0.0.0/0 and blocks wider than /8 are refused; the service is private, put a load balancer or VPN in front."
  }
}

variable "mysql_shape" {
  description = "The DB system's shape: a current HeatWave-capable ECPU shape (MySQL.2 ... MySQL.256). The retired MySQL.HeatWave.VM.Standard.E3 and the other *.Standard.E* names are refused."
  type        = string
  validation {
    condition     = contains(["MySQL.2", "MySQL.4", "MySQL.8", "MySQL.16", "MySQL.32", "MySQL.48", "MySQL.64", "MySQL.128", "MySQL.256"], var.mysql_shape)
    error_message = "mysql_shape: one of MySQL.2, MySQL.4, MySQL.8, MySQL.16, MySQL.32, MySQL.48, MySQL.64, MySQL.128, MySQL.256 (legacy names such as MySQL.HeatWave.VM.Standard.E3 are retired)."
  }
}

variable "mysql_version" {
  description = "MySQL server version of the DB system: a 9.x release (9.1.0 or later), optionally with its -uN suffix."
  type        = string
  validation {
    condition     = can(regex("^9\\.[0-9]+\\.[0-9]+(-u[0-9]+)?$", var.mysql_version)) && !can(regex("^9\\.0\\.", var.mysql_version))
    error_message = "mysql_version: a MySQL 9 release from 9.1.0 on, like 9.4.1 (8.x and innovation 9.0 are refused)."
  }
}

variable "data_storage_size_in_gb" {
  description = "Initial data storage of the DB system in GB (50 to 131072); it can grow, never shrink."
  type        = number
  validation {
    condition     = var.data_storage_size_in_gb >= 50 && var.data_storage_size_in_gb <= 131072 && floor(var.data_storage_size_in_gb) == var.data_storage_size_in_gb
    error_message = "data_storage_size_in_gb: a whole number of GB from 50 to 131072."
  }
}

variable "backup_retention_days" {
  description = "Days automatic backups are kept (1 to 35); point-in-time recovery covers the same window."
  type        = number
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days: a whole number of days from 1 to 35."
  }
}

variable "backup_window_start" {
  description = "Start of the daily 30-minute backup window, UTC, HH:MM."
  type        = string
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window_start))
    error_message = "backup_window_start: a UTC time HH:MM, like 02:00."
  }
}

variable "maintenance_window_start" {
  description = "Start of the weekly 2-hour maintenance window, UTC: DAY HH:MM (DAY is mon ... sun)."
  type        = string
  validation {
    condition     = can(regex("^(?i)(mon|tue|wed|thu|fri|sat|sun) ([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window_start))
    error_message = "maintenance_window_start: DAY HH:MM in UTC, like \"sun 04:00\"."
  }
}

variable "heatwave_shape" {
  description = "Shape of each HeatWave node: HeatWave.32GB or HeatWave.512GB (the retired MySQL.HeatWave.VM.Standard.E3 is refused)."
  type        = string
  validation {
    condition     = contains(["HeatWave.32GB", "HeatWave.512GB"], var.heatwave_shape)
    error_message = "heatwave_shape: HeatWave.32GB or HeatWave.512GB."
  }
}

variable "heatwave_cluster_size" {
  description = "Number of HeatWave nodes (1 to 64)."
  type        = number
  validation {
    condition     = var.heatwave_cluster_size >= 1 && var.heatwave_cluster_size <= 64 && floor(var.heatwave_cluster_size) == var.heatwave_cluster_size
    error_message = "heatwave_cluster_size: a whole number of nodes from 1 to 64."
  }
}

variable "mysql_port" {
  description = "The DB system's classic protocol port."
  type        = number
  validation {
    condition     = var.mysql_port >= 1024 && var.mysql_port <= 65535 && floor(var.mysql_port) == var.mysql_port
    error_message = "mysql_port: a whole port number from 1024 to 65535 (the usual one is 3306)."
  }
}

variable "mysql_port_x" {
  description = "The DB system's X protocol port; must differ from mysql_port."
  type        = number
  validation {
    condition     = var.mysql_port_x >= 1024 && var.mysql_port_x <= 65535 && floor(var.mysql_port_x) == var.mysql_port_x && var.mysql_port_x != var.mysql_port
    error_message = "mysql_port_x: a whole port number from 1024 to 65535, not mysql_port (the usual one is 33060)."
  }
}

variable "app_port" {
  description = "Port `decisioning serve` listens on in the container."
  type        = number
  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535 && floor(var.app_port) == var.app_port && !contains([var.mysql_port, var.mysql_port_x], var.app_port)
    error_message = "app_port: a whole port number from 1024 to 65535 (non-root user: no privileged ports), not a database port."
  }
}

variable "admin_username" {
  description = "The DB system's administrative user (its password is generated in the Vault)."
  type        = string
  validation {
    condition = (
      can(regex("^[A-Za-z][A-Za-z0-9_]{0,31}$", var.admin_username)) &&
      !contains(["root", "admin", "administrator", "ociadmin", "ocirpl", "mysql", "decisioning_app"], lower(var.admin_username))
    )
    error_message = "admin_username: 1-32 letters, digits or underscores starting with a letter, not a reserved name (root, administrator, ociadmin, ocirpl, mysql) and not the application's user."
  }
}

variable "db_name" {
  description = "The schema Decisioning uses."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,63}$", var.db_name)) && !contains(["mysql", "sys", "information_schema", "performance_schema"], var.db_name)
    error_message = "db_name: lowercase letters, digits and underscores (up to 64), starting with a letter, not a system schema."
  }
}

variable "db_user" {
  description = "The application's own MySQL user (least privilege on db_name only; created once by the runbook)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,31}$", var.db_user)) && !contains(["root", "admin", "administrator", "ociadmin", "ocirpl"], var.db_user)
    error_message = "db_user: lowercase letters, digits and underscores (up to 32), starting with a letter, not an administrative name."
  }
}

variable "app_image" {
  description = "The Decisioning image (built from the repository's Dockerfile), with an explicit tag or digest; :latest is refused."
  type        = string
  validation {
    condition = (
      can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$", var.app_image)) &&
      !endswith(var.app_image, ":latest")
    )
    error_message = "app_image: REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:DIGEST with a registry host, e.g. fra.ocir.io/tenancy/decisioning:0.1.0; :latest is refused."
  }
}

variable "secret_fetch_image" {
  description = "The image with the OCI CLI that reads the database password from the Vault at start (resource principal)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$", var.secret_fetch_image))
    error_message = "secret_fetch_image: REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:DIGEST with a registry host."
  }
}

variable "container_shape" {
  description = "Container Instances shape."
  type        = string
  validation {
    condition     = contains(["CI.Standard.E4.Flex", "CI.Standard.E3.Flex", "CI.Standard.A1.Flex"], var.container_shape)
    error_message = "container_shape: CI.Standard.E4.Flex, CI.Standard.E3.Flex or CI.Standard.A1.Flex (A1 needs an arm64 image)."
  }
}

variable "container_ocpus" {
  description = "OCPUs of the container instance (1 to 16)."
  type        = number
  validation {
    condition     = var.container_ocpus >= 1 && var.container_ocpus <= 16 && floor(var.container_ocpus) == var.container_ocpus
    error_message = "container_ocpus: a whole number from 1 to 16."
  }
}

variable "container_memory_gbs" {
  description = "Memory of the container instance in GB (2 to 256; Decisioning's flow on scale-1 data peaks near 3-4 GB)."
  type        = number
  validation {
    condition     = var.container_memory_gbs >= 2 && var.container_memory_gbs <= 256
    error_message = "container_memory_gbs: from 2 to 256 GB."
  }
}

variable "availability_domain_index" {
  description = "Which availability domain (0-based) holds the DB system's primary and the container instance."
  type        = number
  validation {
    condition     = contains([0, 1, 2], var.availability_domain_index)
    error_message = "availability_domain_index: 0, 1 or 2."
  }
}

variable "schedule" {
  description = "workflow.schedule of the service: cron expressions in UTC (five fields)."
  type        = list(string)
  validation {
    condition     = alltrue([for s in var.schedule : length(split(" ", trimspace(s))) == 5])
    error_message = "schedule: each entry is a five-field cron expression in UTC, like \"0 6 * * 1-5\"."
  }
}
