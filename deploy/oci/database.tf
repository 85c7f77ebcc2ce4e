# MySQL 9 DB system in the database subnet, reachable only through its NSG, with backups, point-in-time recovery,
# deletion protection and a final backup; a HeatWave cluster attached with oci_mysql_heat_wave_cluster.

resource "oci_mysql_mysql_db_system" "main" {
  compartment_id      = var.compartment_ocid
  availability_domain = local.availability_domain
  display_name        = "${local.prefix}-mysql"
  description         = "Decisioning system of record (MySQL ${local.in.mysql_version}, HeatWave)"
  shape_name          = local.in.mysql_shape
  mysql_version       = local.in.mysql_version
  subnet_id           = oci_core_subnet.db.id
  nsg_ids             = [oci_core_network_security_group.db.id]
  hostname_label      = "mysql"
  port                = local.in.mysql_port
  port_x              = local.in.mysql_port_x

  data_storage_size_in_gb = local.in.data_storage_size_in_gb
  is_highly_available     = var.is_highly_available
  crash_recovery          = "ENABLED"

  admin_username = local.in.admin_username
  admin_password = base64decode(data.oci_secrets_secretbundle.db_admin_password.secret_bundle_content[0].content)

  backup_policy {
    is_enabled        = true
    retention_in_days = local.in.backup_retention_days
    window_start_time = local.in.backup_window_start
    pitr_policy {
      is_enabled = true
    }
  }

  maintenance {
    window_start_time = local.in.maintenance_window_start
  }

  deletion_policy {
    is_delete_protected        = true
    final_backup               = "REQUIRE_FINAL_BACKUP"
    automatic_backup_retention = "RETAIN"
  }

  # TLS with a service-managed certificate; the client requires it (tls=required or verify_identity).
  secure_connections {
    certificate_generation_type = "SYSTEM"
  }

  freeform_tags = local.tags

  # The NSG attachment is done by the MySQL service itself and needs its policy first (iam.tf).
  depends_on = [oci_identity_policy.mysql_service]

  lifecycle {
    # The admin password is rotated in MySQL and in the Vault (docs/deploy.md), never by replacing the DB system.
    # mysql_version forces a new DB system in the provider: upgrade in place with the service instead (runbook).
    ignore_changes  = [admin_password, mysql_version]
    prevent_destroy = true
  }
}

resource "oci_mysql_heat_wave_cluster" "main" {
  count        = var.enable_heatwave ? 1 : 0
  db_system_id = oci_mysql_mysql_db_system.main.id
  shape_name   = local.in.heatwave_shape
  cluster_size = local.in.heatwave_cluster_size
}
