# Decisioning on OCI: a private network, a MySQL 9 DB system with a HeatWave cluster, the passwords generated in a
# Vault, and `decisioning serve` on Container Instances. docs/deploy.md is the runbook; the table at its end lists the
# mistakes of the seed's and the prototype's Terraform and what this configuration does instead.

# Every input is checked here first (names, CIDRs, shapes, ports, versions, images); resources read module.input.
module "input" {
  source = "./modules/validation"

  name_prefix               = var.name_prefix
  vcn_cidr                  = var.vcn_cidr
  db_subnet_cidr            = var.db_subnet_cidr
  app_subnet_cidr           = var.app_subnet_cidr
  app_ingress_cidrs         = var.app_ingress_cidrs
  mysql_shape               = var.mysql_shape
  mysql_version             = var.mysql_version
  data_storage_size_in_gb   = var.data_storage_size_in_gb
  backup_retention_days     = var.backup_retention_days
  backup_window_start       = var.backup_window_start
  maintenance_window_start  = var.maintenance_window_start
  heatwave_shape            = var.heatwave_shape
  heatwave_cluster_size     = var.heatwave_cluster_size
  mysql_port                = var.mysql_port
  mysql_port_x              = var.mysql_port_x
  app_port                  = var.app_port
  admin_username            = var.admin_username
  db_name                   = var.db_name
  db_user                   = var.db_user
  app_image                 = var.app_image
  secret_fetch_image        = var.secret_fetch_image
  container_shape           = var.container_shape
  container_ocpus           = var.container_ocpus
  container_memory_gbs      = var.container_memory_gbs
  availability_domain_index = var.availability_domain_index
  schedule                  = var.schedule
}

data "oci_identity_availability_domains" "all" {
  compartment_id = var.tenancy_ocid
}

locals {
  in     = module.input
  prefix = module.input.name_prefix
  tags   = { "app" = "decisioning", "managed-by" = "terraform" }
  # One availability domain for the DB system's primary and the container instance; the subnets are regional, so
  # whichever AD is chosen (and the other ADs an HA DB system uses) is inside both subnets.
  availability_domain = data.oci_identity_availability_domains.all.availability_domains[module.input.availability_domain_index].name
}
