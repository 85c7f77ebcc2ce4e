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
  type    = string
  default = "decisioning"
}

variable "vcn_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "db_subnet_cidr" {
  type    = string
  default = "10.20.1.0/24"
}

variable "app_subnet_cidr" {
  type    = string
  default = "10.20.2.0/24"
}

variable "app_ingress_cidrs" {
  description = "Who may reach the service: a load balancer subnet, VPN or bastion ranges (no default: choose)."
  type        = list(string)
}

variable "availability_domain_index" {
  type    = number
  default = 0
}

variable "mysql_shape" {
  type    = string
  default = "MySQL.8"
}

variable "mysql_version" {
  type    = string
  default = "9.4.1"
}

variable "data_storage_size_in_gb" {
  type    = number
  default = 100
}

variable "is_highly_available" {
  description = "Three DB system instances across availability or fault domains, with automatic failover."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  type    = number
  default = 14
}

variable "backup_window_start" {
  type    = string
  default = "02:00"
}

variable "maintenance_window_start" {
  type    = string
  default = "sun 04:00"
}

variable "enable_heatwave" {
  description = "Attach a HeatWave cluster (analytics offload to RAPID, AutoML)."
  type        = bool
  default     = true
}

variable "heatwave_shape" {
  type    = string
  default = "HeatWave.32GB"
}

variable "heatwave_cluster_size" {
  type    = number
  default = 1
}

variable "mysql_port" {
  type    = number
  default = 3306
}

variable "mysql_port_x" {
  type    = number
  default = 33060
}

variable "app_port" {
  type    = number
  default = 8080
}

variable "admin_username" {
  type    = string
  default = "dbadmin"
}

variable "db_name" {
  type    = string
  default = "decisioning"
}

variable "db_user" {
  type    = string
  default = "decisioning_app"
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
  type    = string
  default = "CI.Standard.E4.Flex"
}

variable "container_ocpus" {
  type    = number
  default = 2
}

variable "container_memory_gbs" {
  type    = number
  default = 16
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
