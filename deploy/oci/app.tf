# `decisioning serve` on OCI Container Instances, in the application subnet behind the application NSG.
#
# The database password reaches the service as a file, never as an environment variable or a Terraform value:
#   1. container "fetch-db-password" (an OCI CLI image) authenticates with the container instance's resource
#      principal, reads the CURRENT version of the application password's secret, decodes it and writes it, mode
#      0600, owned by the service's uid, to a memory-backed volume shared by the two containers; then it exits 0;
#   2. container "decisioning" waits for that file (its entrypoint's DECISIONING_WAIT_FOR_FILE), runs
#      `decisioning init` and `decisioning serve`, and reads the password through the data source's password_file.
# The restart policy ON_FAILURE re-runs whichever of them fails (e.g. while the IAM policy is still propagating).

locals {
  secrets_dir   = "/run/decisioning-secrets"
  password_file = "${local.secrets_dir}/db_password"
  verify_ca     = var.db_ca_certificate_pem != null
  db_host       = local.verify_ca ? oci_mysql_mysql_db_system.main.endpoints[0].hostname : oci_mysql_mysql_db_system.main.ip_address

  # The service's configuration (README "Configuration"): the HeatWave source, the schedule, the listen address.
  # It holds no secret: password_file is a path.
  app_config = {
    data_sources = [{
      name = "heatwave"
      type = "mysql_heatwave"
      config = merge(
        {
          host                = local.db_host
          port                = local.in.mysql_port
          database            = local.in.db_name
          user                = local.in.db_user
          tls                 = local.verify_ca ? "verify_identity" : "required"
          password_file       = local.password_file
          use_heatwave_engine = var.enable_heatwave
          connection_pool     = { min_connections = 2, max_connections = 20, connection_timeout = 30 }
        },
        local.verify_ca ? { ca_file = "/etc/decisioning/db-ca.pem" } : {},
      )
    }]
    workflow = { max_concurrent_agents = 3, seed = 42, schedule = local.in.schedule, catch_up = true }
    service  = { listen = "0.0.0.0:${local.in.app_port}", shutdown_grace_seconds = 30, rate_limit_per_minute = 120 }
    output   = { directory = "/var/lib/decisioning/out", formats = ["json", "markdown", "html", "dashboard"] }
  }

  # The fetch step: nothing is printed; the file appears complete or not at all (written aside, then renamed).
  fetch_script = join(" && ", [
    "umask 077",
    "oci secrets secret-bundle get --auth resource_principal --secret-id \"$SECRET_ID\" --stage CURRENT --query 'data.\"secret-bundle-content\".content' --raw-output | base64 -d > ${local.password_file}.tmp",
    "test -s ${local.password_file}.tmp",
    "mv ${local.password_file}.tmp ${local.password_file}",
  ])
  service_uid = 10001 # the Dockerfile's decisioning user
}

resource "oci_container_instances_container_instance" "app" {
  compartment_id                       = var.compartment_ocid
  availability_domain                  = local.availability_domain
  display_name                         = "${local.prefix}-serve"
  shape                                = local.in.container_shape
  container_restart_policy             = "ON_FAILURE"
  graceful_shutdown_timeout_in_seconds = 60 # service.shutdown_grace_seconds (30) for a running flow, plus margin

  shape_config {
    ocpus         = local.in.container_ocpus
    memory_in_gbs = local.in.container_memory_gbs
  }

  vnics {
    subnet_id             = oci_core_subnet.app.id
    nsg_ids               = [oci_core_network_security_group.app.id]
    is_public_ip_assigned = false
    hostname_label        = "decisioning"
    display_name          = "${local.prefix}-serve-vnic"
  }

  volumes {
    name          = "secrets"
    volume_type   = "EMPTYDIR"
    backing_store = "MEMORY"
  }

  volumes {
    name        = "config"
    volume_type = "CONFIGFILE"
    configs {
      file_name = "decisioning.json"
      data      = base64encode(jsonencode(local.app_config))
    }
    dynamic "configs" {
      for_each = local.verify_ca ? [var.db_ca_certificate_pem] : []
      content {
        file_name = "db-ca.pem"
        data      = base64encode(configs.value)
      }
    }
  }

  # Run outputs (report.html, dashboard.html) and column snapshots; the runs themselves are stored in MySQL.
  volumes {
    name          = "state"
    volume_type   = "EMPTYDIR"
    backing_store = "EPHEMERAL_STORAGE"
  }

  # Ingest bodies are streamed to a temporary file; the root file system is read-only.
  volumes {
    name          = "tmp"
    volume_type   = "EMPTYDIR"
    backing_store = "EPHEMERAL_STORAGE"
  }

  containers {
    display_name                   = "fetch-db-password"
    image_url                      = local.in.secret_fetch_image
    command                        = ["/bin/sh", "-c"]
    arguments                      = [local.fetch_script]
    is_resource_principal_disabled = false
    environment_variables = {
      SECRET_ID = oci_vault_secret.db_app_password.id
      HOME      = "/tmp"
    }
    security_context {
      security_context_type          = "LINUX"
      run_as_user                    = local.service_uid
      run_as_group                   = local.service_uid
      is_non_root_user_check_enabled = true
    }
    volume_mounts {
      volume_name = "secrets"
      mount_path  = local.secrets_dir
    }
  }

  containers {
    display_name = "decisioning"
    image_url    = local.in.app_image
    # The image's entrypoint runs `decisioning init` then `decisioning serve` with /etc/decisioning/decisioning.json.
    arguments = ["serve"]
    # The service itself needs no OCI API: no resource principal in this container.
    is_resource_principal_disabled = true
    environment_variables = {
      DECISIONING_WAIT_FOR_FILE = local.password_file
      DECISIONING_WAIT_SECONDS  = "300"
    }
    security_context {
      security_context_type          = "LINUX"
      run_as_user                    = local.service_uid
      run_as_group                   = local.service_uid
      is_non_root_user_check_enabled = true
      is_root_file_system_readonly   = true
    }
    volume_mounts {
      volume_name  = "secrets"
      mount_path   = local.secrets_dir
      is_read_only = true
    }
    volume_mounts {
      volume_name  = "config"
      mount_path   = "/etc/decisioning"
      is_read_only = true
    }
    volume_mounts {
      volume_name = "state"
      mount_path  = "/var/lib/decisioning"
    }
    volume_mounts {
      volume_name = "tmp"
      mount_path  = "/tmp"
    }
    health_checks {
      name                     = "readyz"
      health_check_type        = "HTTP"
      path                     = "/readyz"
      port                     = local.in.app_port
      initial_delay_in_seconds = 60
      interval_in_seconds      = 30
      timeout_in_seconds       = 5
      failure_threshold        = 4
      failure_action           = "KILL"
    }
  }

  freeform_tags = local.tags

  # The password can only be fetched once the policy exists, and the service only starts usefully once the database
  # does; ON_FAILURE restarts cover IAM propagation delays.
  depends_on = [oci_identity_policy.app, oci_mysql_mysql_db_system.main]
}

data "oci_core_vnic" "app" {
  vnic_id = oci_container_instances_container_instance.app.vnics[0].vnic_id
}
