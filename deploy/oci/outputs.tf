# Where things are. No output carries a password: the secrets are named by OCID, and their values stay in the Vault.

output "service_endpoint" {
  description = "decisioning serve inside the VCN (put a load balancer or VPN in front; /readyz is the health check)."
  value       = "http://${data.oci_core_vnic.app.private_ip_address}:${local.in.app_port}"
}

output "container_instance_id" {
  description = "OCID of the container instance running decisioning serve."
  value       = oci_container_instances_container_instance.app.id
}

output "db_system_id" {
  description = "OCID of the MySQL DB system."
  value       = oci_mysql_mysql_db_system.main.id
}

output "db_endpoint" {
  description = "The DB system's private endpoint (host name, IP address, classic and X protocol ports)."
  value = {
    hostname   = try(oci_mysql_mysql_db_system.main.endpoints[0].hostname, null)
    ip_address = oci_mysql_mysql_db_system.main.ip_address
    port       = oci_mysql_mysql_db_system.main.port
    port_x     = oci_mysql_mysql_db_system.main.port_x
  }
}

output "heatwave_cluster" {
  description = "The HeatWave cluster's shape and size (null without HeatWave)."
  value = var.enable_heatwave ? {
    db_system_id = oci_mysql_heat_wave_cluster.main[0].db_system_id
    shape_name   = oci_mysql_heat_wave_cluster.main[0].shape_name
    cluster_size = oci_mysql_heat_wave_cluster.main[0].cluster_size
  } : null
}

output "db_admin_password_secret_id" {
  description = "OCID of the Vault secret holding the administrative password (read it with your own IAM rights)."
  value       = oci_vault_secret.db_admin_password.id
}

output "db_app_password_secret_id" {
  description = "OCID of the Vault secret holding the application user's password."
  value       = oci_vault_secret.db_app_password.id
}

output "db_app_user" {
  description = "The application's MySQL user and schema, to create once with the runbook's SQL."
  value       = { user = local.in.db_user, database = local.in.db_name }
}
