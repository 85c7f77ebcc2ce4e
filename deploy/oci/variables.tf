# Inputs of the deployment. Every value is checked by module.input (modules/validation, tested offline with
# `terraform test`) before any resource uses it; the rules and their messages live there, once.
# No password is an input: the database passwords are generated inside the Vault (vault.tf).

variable "tenancy_ocid" {
  description = "The tenancy's OCID (dynamic groups live in the tenancy)."
  type        = string
  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.[a-z0-9-]+\\.[a-z0-9-]*\\.[a-z0-9]+$", var.tenancy_ocid))
    error_message = "tenancy_ocid: an OCID of the form ocid1.tenancy.oc1..aaaa..."
  }
}

variable "compartment_ocid" {
  description = "The compartment every resource goes into (give Decisioning a compartment of its own: the dynamic group matches container instances by compartment)."
  type        = string
  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9-]+\\.[a-z0-9-]*\\.[a-z0-9]+$", var.compartment_ocid))
    error_message = "compartment_ocid: an OCID of the form ocid1.compartment.oc1..aaaa..."
  }
}

variable "region" {
  description = "OCI region identifier, e.g. eu-frankfurt-1."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2,}-[a-z]+-[0-9]+$", var.region))
    error_message = "region: an OCI region identifier like eu-frankfurt-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every display name and of the VCN's DNS label: 2-15 lowercase letters, digits or hyphens, starting with a letter."
  type        = string
  default     = "decisioning"
}

variable "vcn_cidr" {
  description = "The VCN's IPv4 range: a private (RFC 1918) block from /16 to /24."
  type        = string
  default     = "10.20.0.0/16"
}

variable "db_subnet_cidr" {
  description = "The database subnet: inside vcn_cidr, up to /29, not overlapping the application subnet."
  type        = string
  default     = "10.20.1.0/24"
}

variable "app_subnet_cidr" {
  description = "The application subnet: inside vcn_cidr, up to /29, not overlapping the database subnet."
  type        = string
  default     = "10.20.2.0/24"
}

variable "app_ingress_cidrs" {
  description = "Who may reach the service: a load balancer subnet, VPN or bastion ranges (no default: choose)."
  type        = list(string)
}

variable "availability_domain_index" {
  description = "Which availability domain (0-based) holds the DB system's primary and the container instance."
  type        = number
  default     = 0
}

variable "mysql_shape" {
  description = "The DB system's shape: a current HeatWave-capable ECPU shape (MySQL.2 ... MySQL.256). The retired MySQL.HeatWave.VM.Standard.E3 and the other *.Standard.E* names are refused."
  type        = string
  default     = "MySQL.8"
}

variable "mysql_version" {
  description = "MySQL server version of the DB system: a 9.x release (9.1.0 or later), optionally with its -uN suffix."
  type        = string
  default     = "9.4.1"
}

variable "data_storage_size_in_gb" {
  description = "Initial data storage of the DB system in GB (50 to 131072); it can grow, never shrink."
  type        = number
  default     = 100
}

variable "is_highly_available" {
  description = "Three DB system instances across availability or fault domains, with automatic failover."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days automatic backups are kept (1 to 35); point-in-time recovery covers the same window."
  type        = number
  default     = 14
}

variable "backup_window_start" {
  description = "Start of the daily 30-minute backup window, UTC, HH:MM."
  type        = string
  default     = "02:00"
}

variable "maintenance_window_start" {
  description = "Start of the weekly 2-hour maintenance window, UTC: DAY HH:MM (DAY is mon ... sun)."
  type        = string
  default     = "sun 04:00"
}

variable "enable_heatwave" {
  description = "Attach a HeatWave cluster (analytics offload to RAPID, AutoML)."
  type        = bool
  default     = true
}

variable "heatwave_shape" {
  description = "Shape of each HeatWave node: HeatWave.32GB or HeatWave.512GB (the retired MySQL.HeatWave.VM.Standard.E3 is refused)."
  type        = string
  default     = "HeatWave.32GB"
}

variable "heatwave_cluster_size" {
  description = "Number of HeatWave nodes (1 to 64)."
  type        = number
  default     = 1
}

variable "mysql_port" {
  description = "The DB system's classic protocol port."
  type        = number
  default     = 3306
}

variable "mysql_port_x" {
  description = "The DB system's X protocol port; must differ from mysql_port."
  type        = number
  default     = 33060
}

variable "app_port" {
  description = "Port `decisioning serve` listens on in the container."
  type        = number
  default     = 8080
}

variable "admin_username" {
  description = "The DB system's administrative user (its password is generated in the Vault)."
  type        = string
  default     = "dbadmin"
}

variable "db_name" {
  description = "The schema Decisioning uses."
  type        = string
  default     = "decisioning"
}

variable "db_user" {
  description = "The application's own MySQL user (least privilege on db_name only; created once by the runbook)."
  type        = string
  default     = "decisioning_app"
}

variable "app_image" {
  description = "The image built from the repository's Dockerfile and pushed to your registry, with a tag or digest."
  type        = string
}

variable "secret_fetch_image" {
  description = "An image with the OCI CLI (mirror it into your OCIR for production), used once at start to read the password."
  type        = string
}

variable "container_shape" {
  description = "Container Instances shape."
  type        = string
  default     = "CI.Standard.E4.Flex"
}

variable "container_ocpus" {
  description = "OCPUs of the container instance (1 to 16)."
  type        = number
  default     = 2
}

variable "container_memory_gbs" {
  description = "Memory of the container instance in GB (2 to 256; Decisioning's flow on scale-1 data peaks near 3-4 GB)."
  type        = number
  default     = 16
}

variable "schedule" {
  description = "workflow.schedule: when the service runs the flow by itself (UTC cron)."
  type        = list(string)
  default     = ["0 6 * * 1-5"]
}

variable "db_ca_certificate_pem" {
  description = "The DB system's CA certificate (PEM). When given, the service verifies the server's identity (tls verify_identity); otherwise it requires TLS without verifying the certificate."
  type        = string
  default     = null
}

variable "ocir_compartment_ocid" {
  description = "When app_image is in a private OCIR repository: the compartment of that repository (the container instances get read access to its repos)."
  type        = string
  default     = null
}
