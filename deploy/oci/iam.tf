# Who may do what, and nothing more:
#   - the container instances of this compartment (dynamic group) may read the bundle of ONE secret, the application
#     user's password, and (only when the image is in a private OCIR) pull images;
#   - the MySQL service may attach its DB system's VNIC to the NSG (required for nsg_ids on a DB system).
# The administrative password's secret is readable by no workload: operators read it with their own IAM rights.

resource "oci_identity_dynamic_group" "app" {
  compartment_id = var.tenancy_ocid
  name           = "${local.prefix}-container-instances"
  description    = "Container instances of ${local.prefix} (resource principal of decisioning serve's password fetch)"
  matching_rule  = "ALL {resource.type = 'computecontainerinstance', resource.compartment.id = '${var.compartment_ocid}'}"
  freeform_tags  = local.tags
}

resource "oci_identity_policy" "app" {
  compartment_id = var.compartment_ocid
  name           = "${local.prefix}-app"
  description    = "decisioning serve reads its database password from the Vault, nothing else"
  statements = concat(
    [
      "Allow dynamic-group ${oci_identity_dynamic_group.app.name} to read secret-bundles in compartment id ${var.compartment_ocid} where target.secret.id = '${oci_vault_secret.db_app_password.id}'",
    ],
    var.ocir_compartment_ocid == null ? [] : [
      "Allow dynamic-group ${oci_identity_dynamic_group.app.name} to read repos in compartment id ${var.ocir_compartment_ocid}",
    ],
  )
  freeform_tags = local.tags
}

resource "oci_identity_policy" "mysql_service" {
  compartment_id = var.compartment_ocid
  name           = "${local.prefix}-mysql-service"
  description    = "The MySQL service attaches its DB systems' VNICs to NSGs of this compartment"
  statements = [
    "Allow any-user to {NETWORK_SECURITY_GROUP_UPDATE_MEMBERS} in compartment id ${var.compartment_ocid} where all {request.principal.type = 'mysqldbsystem', request.resource.compartment.id = '${var.compartment_ocid}'}",
    "Allow any-user to {VNIC_CREATE, VNIC_UPDATE, VNIC_ASSOCIATE_NETWORK_SECURITY_GROUP, VNIC_DISASSOCIATE_NETWORK_SECURITY_GROUP} in compartment id ${var.compartment_ocid} where all {request.principal.type = 'mysqldbsystem', request.resource.compartment.id = '${var.compartment_ocid}'}",
  ]
  freeform_tags = local.tags
}
