# The deployment's input rules, accepted and refused values (offline: the module has no provider).
# Run: cd deploy/oci/modules/validation && terraform init -backend=false && terraform test

variables {
  name_prefix               = "decisioning"
  vcn_cidr                  = "10.20.0.0/16"
  db_subnet_cidr            = "10.20.1.0/24"
  app_subnet_cidr           = "10.20.2.0/24"
  app_ingress_cidrs         = ["10.20.0.0/24", "192.168.10.0/24"]
  mysql_shape               = "MySQL.8"
  mysql_version             = "9.4.1"
  data_storage_size_in_gb   = 100
  backup_retention_days     = 7
  backup_window_start       = "02:00"
  maintenance_window_start  = "sun 04:00"
  heatwave_shape            = "HeatWave.32GB"
  heatwave_cluster_size     = 1
  mysql_port                = 3306
  mysql_port_x              = 33060
  app_port                  = 8080
  admin_username            = "dbadmin"
  db_name                   = "decisioning"
  db_user                   = "decisioning_app"
  app_image                 = "fra.ocir.io/mytenancy/decisioning:0.1.0"
  secret_fetch_image        = "ghcr.io/oracle/oci-cli:3.52.0"
  container_shape           = "CI.Standard.E4.Flex"
  container_ocpus           = 1
  container_memory_gbs      = 8
  availability_domain_index = 0
  schedule                  = ["0 6 * * 1-5"]
}

run "accepts_the_example_values" {
  command = plan
  assert {
    condition     = output.vcn_dns_label == "decisioning"
    error_message = "the DNS label is the prefix without hyphens"
  }
  assert {
    condition     = output.maintenance_window_start == "sun 04:00"
    error_message = "the maintenance window passes through"
  }
}

run "accepts_other_valid_values" {
  command = plan
  variables {
    name_prefix              = "dec-prod-1"
    vcn_cidr                 = "172.16.0.0/20"
    db_subnet_cidr           = "172.16.0.0/28"
    app_subnet_cidr          = "172.16.0.16/28"
    app_ingress_cidrs        = ["172.16.8.0/24"]
    mysql_shape              = "MySQL.32"
    mysql_version            = "9.4.1-u2"
    data_storage_size_in_gb  = 1024
    maintenance_window_start = "WED 23:30"
    heatwave_shape           = "HeatWave.512GB"
    heatwave_cluster_size    = 64
    app_image                = "fra.ocir.io/t/decisioning@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  }
  assert {
    condition     = output.vcn_dns_label == "decprod1"
    error_message = "hyphens leave the DNS label"
  }
}

run "refuses_bad_names" {
  command = plan
  variables {
    name_prefix = "Decisioning_Prod"
    db_name     = "mysql"
    db_user     = "root"
  }
  expect_failures = [var.name_prefix, var.db_name, var.db_user]
}

run "refuses_reserved_admin_names" {
  command = plan
  variables {
    admin_username = "root"
  }
  expect_failures = [var.admin_username]
}

run "refuses_a_public_or_malformed_vcn" {
  command = plan
  variables {
    vcn_cidr = "8.8.0.0/16"
  }
  expect_failures = [var.vcn_cidr]
}

run "refuses_host_bits_in_the_vcn" {
  command = plan
  variables {
    vcn_cidr = "10.20.0.1/16"
  }
  expect_failures = [var.vcn_cidr]
}

run "refuses_a_subnet_outside_the_vcn" {
  command = plan
  variables {
    db_subnet_cidr = "10.99.1.0/24"
  }
  expect_failures = [var.db_subnet_cidr]
}

run "refuses_overlapping_subnets" {
  command = plan
  variables {
    db_subnet_cidr  = "10.20.0.0/23"
    app_subnet_cidr = "10.20.1.0/24"
  }
  expect_failures = [var.app_subnet_cidr]
}

run "refuses_the_whole_internet_as_ingress" {
  command = plan
  variables {
    app_ingress_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.app_ingress_cidrs]
}

run "refuses_the_seeds_retired_shapes" {
  command = plan
  variables {
    mysql_shape    = "MySQL.HeatWave.VM.Standard.E3"
    heatwave_shape = "MySQL.HeatWave.VM.Standard.E3"
  }
  expect_failures = [var.mysql_shape, var.heatwave_shape]
}

run "refuses_mysql_8" {
  command = plan
  variables {
    mysql_version = "8.0.39"
  }
  expect_failures = [var.mysql_version]
}

run "refuses_out_of_range_sizes" {
  command = plan
  variables {
    data_storage_size_in_gb = 20
    heatwave_cluster_size   = 65
    backup_retention_days   = 0
    container_ocpus         = 0
  }
  expect_failures = [var.data_storage_size_in_gb, var.heatwave_cluster_size, var.backup_retention_days, var.container_ocpus]
}

run "refuses_clashing_database_ports" {
  command = plan
  variables {
    mysql_port_x = 3306
  }
  expect_failures = [var.mysql_port_x]
}

# One failing variable per run where rules refer to each other: a rule reading a variable that failed its own
# validation is not evaluated.
run "refuses_a_privileged_app_port" {
  command = plan
  variables {
    app_port = 80
  }
  expect_failures = [var.app_port]
}

run "refuses_an_app_port_on_a_database_port" {
  command = plan
  variables {
    app_port = 33060
  }
  expect_failures = [var.app_port]
}

run "refuses_latest_and_registryless_images" {
  command = plan
  variables {
    app_image          = "fra.ocir.io/mytenancy/decisioning:latest"
    secret_fetch_image = "oci-cli"
  }
  expect_failures = [var.app_image, var.secret_fetch_image]
}

run "refuses_bad_windows_and_schedules" {
  command = plan
  variables {
    backup_window_start      = "25:00"
    maintenance_window_start = "sunday 4am"
    schedule                 = ["every day"]
  }
  expect_failures = [var.backup_window_start, var.maintenance_window_start, var.schedule]
}
