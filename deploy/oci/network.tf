# A VCN with two private regional subnets (database, application). No internet gateway and no public IPs: the
# application reaches the internet (webhooks, image pulls) through the NAT gateway, and Oracle services (Vault,
# Object Storage, OCIR) through the service gateway. Access is decided by network security groups, not by subnet-wide
# security lists: the database NSG admits 3306/33060 only from the application NSG.

resource "oci_core_vcn" "main" {
  compartment_id = var.compartment_ocid
  display_name   = "${local.prefix}-vcn"
  cidr_blocks    = [local.in.vcn_cidr]
  dns_label      = local.in.vcn_dns_label
  freeform_tags  = local.tags
}

# The VCN's default security list allows SSH from anywhere; take it over and leave it empty.
resource "oci_core_default_security_list" "main" {
  manage_default_resource_id = oci_core_vcn.main.default_security_list_id
  compartment_id             = var.compartment_ocid
  display_name               = "${local.prefix}-default-empty"
  freeform_tags              = local.tags
}

resource "oci_core_nat_gateway" "main" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-nat"
  freeform_tags  = local.tags
}

data "oci_core_services" "all" {
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_service_gateway" "main" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-sgw"
  services {
    service_id = data.oci_core_services.all.services[0].id
  }
  freeform_tags = local.tags
}

# Database subnet: Oracle services only (backups are the service's own; nothing here talks to the internet).
resource "oci_core_route_table" "db" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-db-routes"
  route_rules {
    destination       = data.oci_core_services.all.services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.main.id
    description       = "Oracle Services Network"
  }
  freeform_tags = local.tags
}

# Application subnet: Oracle services through the service gateway, everything else out through NAT.
resource "oci_core_route_table" "app" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-app-routes"
  route_rules {
    destination       = data.oci_core_services.all.services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.main.id
    description       = "Oracle Services Network (Vault, OCIR, Object Storage)"
  }
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.main.id
    description       = "Outbound only: webhooks and image pulls"
  }
  freeform_tags = local.tags
}

# Subnets carry a security list that only lets path-MTU discovery in (ICMP "fragmentation needed" from inside the
# VCN); every other rule is in an NSG below.
resource "oci_core_security_list" "subnets" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-pmtu-only"
  ingress_security_rules {
    protocol    = "1"
    source      = local.in.vcn_cidr
    source_type = "CIDR_BLOCK"
    stateless   = true # an ICMP error has no reply to track
    description = "Path MTU discovery inside the VCN"
    icmp_options {
      type = 3
      code = 4
    }
  }
  freeform_tags = local.tags
}

resource "oci_core_subnet" "db" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.main.id
  display_name               = "${local.prefix}-db"
  cidr_block                 = local.in.db_subnet_cidr
  dns_label                  = "db"
  prohibit_public_ip_on_vnic = true
  prohibit_internet_ingress  = true
  route_table_id             = oci_core_route_table.db.id
  security_list_ids          = [oci_core_security_list.subnets.id]
  freeform_tags              = local.tags
}

resource "oci_core_subnet" "app" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.main.id
  display_name               = "${local.prefix}-app"
  cidr_block                 = local.in.app_subnet_cidr
  dns_label                  = "app"
  prohibit_public_ip_on_vnic = true
  prohibit_internet_ingress  = true
  route_table_id             = oci_core_route_table.app.id
  security_list_ids          = [oci_core_security_list.subnets.id]
  freeform_tags              = local.tags
}

resource "oci_core_network_security_group" "db" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-db-nsg"
  freeform_tags  = local.tags
}

resource "oci_core_network_security_group" "app" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${local.prefix}-app-nsg"
  freeform_tags  = local.tags
}

locals {
  db_ports = { classic = local.in.mysql_port, x = local.in.mysql_port_x }
}

# The database admits its two ports from the application NSG, and from nothing else.
resource "oci_core_network_security_group_security_rule" "db_from_app" {
  #checkov:skip=CKV_OCI_21:Stateful on purpose: replies are tracked; a stateless rule needs a mirrored egress rule per port and source-port ranges, twice the rules for traffic this small.
  for_each                  = local.db_ports
  network_security_group_id = oci_core_network_security_group.db.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source_type               = "NETWORK_SECURITY_GROUP"
  source                    = oci_core_network_security_group.app.id
  stateless                 = false
  description               = "MySQL ${each.key} protocol from the application"
  tcp_options {
    destination_port_range {
      min = each.value
      max = each.value
    }
  }
}

# The application may open connections to the database NSG on those ports ...
resource "oci_core_network_security_group_security_rule" "app_to_db" {
  for_each                  = local.db_ports
  network_security_group_id = oci_core_network_security_group.app.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination_type          = "NETWORK_SECURITY_GROUP"
  destination               = oci_core_network_security_group.db.id
  stateless                 = false
  description               = "MySQL ${each.key} protocol to the database"
  tcp_options {
    destination_port_range {
      min = each.value
      max = each.value
    }
  }
}

# ... and HTTPS out: Oracle services through the service gateway, webhooks and image pulls through NAT.
resource "oci_core_network_security_group_security_rule" "app_https_services" {
  network_security_group_id = oci_core_network_security_group.app.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination_type          = "SERVICE_CIDR_BLOCK"
  destination               = data.oci_core_services.all.services[0].cidr_block
  stateless                 = false
  description               = "HTTPS to Oracle services (Vault secrets, OCIR)"
  tcp_options {
    destination_port_range {
      min = 443
      max = 443
    }
  }
}

resource "oci_core_network_security_group_security_rule" "app_https_out" {
  network_security_group_id = oci_core_network_security_group.app.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination_type          = "CIDR_BLOCK"
  destination               = "0.0.0.0/0"
  stateless                 = false
  description               = "HTTPS to webhook receivers and container registries, through NAT"
  tcp_options {
    destination_port_range {
      min = 443
      max = 443
    }
  }
}

# The service port, from the ranges the operator names (a load balancer subnet, VPN, bastion); never 0.0.0.0/0
# (module.input refuses it).
resource "oci_core_network_security_group_security_rule" "app_ingress" {
  #checkov:skip=CKV_OCI_21:Stateful on purpose: replies are tracked; a stateless rule needs a mirrored egress rule per port and source-port ranges, twice the rules for traffic this small.
  for_each                  = toset(local.in.app_ingress_cidrs)
  network_security_group_id = oci_core_network_security_group.app.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source_type               = "CIDR_BLOCK"
  source                    = each.value
  stateless                 = false
  description               = "decisioning serve from ${each.value}"
  tcp_options {
    destination_port_range {
      min = local.in.app_port
      max = local.in.app_port
    }
  }
}
