# The checked values, for the root module to use (it never reads its own variables directly).

output "name_prefix" { value = var.name_prefix }
# DNS labels: letters and digits only, at most 15 characters, starting with a letter.
output "vcn_dns_label" { value = substr(replace(var.name_prefix, "-", ""), 0, 15) }
output "vcn_cidr" { value = var.vcn_cidr }
output "db_subnet_cidr" { value = var.db_subnet_cidr }
output "app_subnet_cidr" { value = var.app_subnet_cidr }
output "app_ingress_cidrs" { value = var.app_ingress_cidrs }
output "mysql_shape" { value = var.mysql_shape }
output "mysql_version" { value = var.mysql_version }
output "data_storage_size_in_gb" { value = var.data_storage_size_in_gb }
output "backup_retention_days" { value = var.backup_retention_days }
output "backup_window_start" { value = var.backup_window_start }
output "maintenance_window_start" { value = lower(var.maintenance_window_start) }
output "heatwave_shape" { value = var.heatwave_shape }
output "heatwave_cluster_size" { value = var.heatwave_cluster_size }
output "mysql_port" { value = var.mysql_port }
output "mysql_port_x" { value = var.mysql_port_x }
output "app_port" { value = var.app_port }
output "admin_username" { value = var.admin_username }
output "db_name" { value = var.db_name }
output "db_user" { value = var.db_user }
output "app_image" { value = var.app_image }
output "secret_fetch_image" { value = var.secret_fetch_image }
output "container_shape" { value = var.container_shape }
output "container_ocpus" { value = var.container_ocpus }
output "container_memory_gbs" { value = var.container_memory_gbs }
output "availability_domain_index" { value = var.availability_domain_index }
output "schedule" { value = var.schedule }
