terraform {
  required_version = ">= 1.9.0"
  required_providers {
    oci = {
      source = "oracle/oci"
      # nsg_ids on oci_mysql_mysql_db_system, oci_mysql_heat_wave_cluster (the replacement of the deprecated
      # oci_mysql_analytics_cluster) and secret auto-generation on oci_vault_secret are all in the 6.x/7.x line.
      version = ">= 6.0.0, < 8.0.0"
    }
  }
}

provider "oci" {
  region = var.region
  # Credentials come from the usual provider configuration (~/.oci/config, instance or resource principal, or the
  # TF_VAR_/OCI_ environment), never from this repository.
}
