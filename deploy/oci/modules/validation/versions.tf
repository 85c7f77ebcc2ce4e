# No provider: this module only checks the deployment's inputs, so `terraform test` runs offline.
terraform {
  # Validation conditions that refer to other variables (a subnet inside the VCN) need Terraform 1.9.
  required_version = ">= 1.9.0"
}
