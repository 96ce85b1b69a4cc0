// Expected tables of the worked data set (spec §10.2–§10.6), in native values as the spec prints
// them; generated from the spec's "Expected ... state" blocks. Nova's zone state follows the §6.1
// recommendation (`available` instead of the Python repr of the state object). The spec's `1.0`
// is a float, written `new Float(1)`: a plain `1.0` would be the integer 1 here.
import { Float } from '../../../src/datalog/value';

type Native = string | number | boolean | null | Float;

/** Driver id → table → rows. */
export const EXPECTED: Record<string, Record<string, Native[][]>> = {
  "keystonev3": {
    "users": [
      [
        "3ec3164f750146be97f21559ee4d9c51",
        "admin",
        true,
        null,
        "default"
      ],
      [
        "5b5f2e3d9a1c4d7e8f0a1b2c3d4e5f60",
        "demo",
        true,
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "default"
      ]
    ],
    "roles": [
      [
        "6a7b8c9d0e1f40a1b2c3d4e5f6a7b8c9",
        "admin"
      ],
      [
        "9fe2ff9ee4384b1894a90878d3e92bab",
        "member"
      ]
    ],
    "projects": [
      [
        true,
        "",
        "demo",
        "default",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40"
      ],
      [
        true,
        "Bootstrap project for initializing the cloud.",
        "admin",
        "default",
        "8538a3f13f9541b28c2620eb19065e45"
      ]
    ],
    "domains": [
      [
        true,
        "The default domain",
        "Default",
        "default"
      ]
    ]
  },
  "nova": {
    "servers.addresses": [
      [
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "private",
        "10.0.0.5",
        4,
        "fa:16:3e:4c:2c:30",
        "fixed"
      ],
      [
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "private",
        "172.24.4.10",
        4,
        "fa:16:3e:4c:2c:30",
        "floating"
      ]
    ],
    "tags": [
      [
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "prod"
      ],
      [
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "web"
      ]
    ],
    "servers": [
      [
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "web-1",
        "2091634baaccdc4c5a1d57069c833e402921df696b7f970791b12ec6",
        "ACTIVE",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "5b5f2e3d9a1c4d7e8f0a1b2c3d4e5f60",
        "70a599e0-31e7-49b7-b260-868f441e862b",
        "1",
        "nova",
        "compute-1",
        "2020-02-20T10:00:00Z"
      ],
      [
        "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
        "db-1",
        "7a3c1f0e9d8b7a6c5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d",
        "SHUTOFF",
        "8538a3f13f9541b28c2620eb19065e45",
        "3ec3164f750146be97f21559ee4d9c51",
        "",
        "2",
        "nova",
        "compute-2",
        "2020-02-21T08:30:00Z"
      ]
    ],
    "flavors": [
      [
        "1",
        "m1.tiny",
        1,
        512,
        1,
        0,
        new Float(1)
      ],
      [
        "2",
        "m1.small",
        1,
        2048,
        20,
        0,
        new Float(1)
      ]
    ],
    "services": [
      [
        1,
        "nova-scheduler",
        "controller",
        "internal",
        "enabled",
        "up",
        "2020-02-21T09:10:01.000000",
        null
      ],
      [
        4,
        "nova-compute",
        "compute-1",
        "nova",
        "enabled",
        "up",
        "2020-02-21T09:10:03.000000",
        null
      ],
      [
        5,
        "nova-compute",
        "compute-2",
        "nova",
        "disabled",
        "down",
        "2020-02-21T08:55:00.000000",
        "maintenance"
      ]
    ],
    "hypervisors": [
      [
        "compute-1",
        1,
        "up",
        "enabled"
      ],
      [
        "compute-2",
        2,
        "down",
        "disabled"
      ]
    ],
    "availability_zones": [
      [
        "internal",
        "available"
      ],
      [
        "nova",
        "available"
      ]
    ]
  },
  "neutronv2": {
    "networks": [
      [
        "3cb9bc59-5699-4588-a4b1-b87f96708bc6",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "private",
        "ACTIVE",
        true,
        false
      ],
      [
        "e5d1b2a0-1c3e-4f5a-9b8c-7d6e5f4a3b2c",
        "8538a3f13f9541b28c2620eb19065e45",
        "public",
        "ACTIVE",
        true,
        false
      ]
    ],
    "allocation_pools": [
      [
        "4f3e2d1c-0b9a-4887-a665-544332211000",
        "172.24.4.2",
        "172.24.4.254"
      ],
      [
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f",
        "10.0.0.2",
        "10.0.0.254"
      ]
    ],
    "dns_nameservers": [
      [
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f",
        "8.8.4.4"
      ],
      [
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f",
        "8.8.8.8"
      ]
    ],
    "host_routes": [
      [
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f",
        "192.168.100.0/24",
        "10.0.0.254"
      ]
    ],
    "subnets": [
      [
        "4f3e2d1c-0b9a-4887-a665-544332211000",
        "8538a3f13f9541b28c2620eb19065e45",
        "public-subnet",
        "e5d1b2a0-1c3e-4f5a-9b8c-7d6e5f4a3b2c",
        4,
        "172.24.4.0/24",
        "172.24.4.1",
        false,
        null,
        null
      ],
      [
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "private-subnet",
        "3cb9bc59-5699-4588-a4b1-b87f96708bc6",
        4,
        "10.0.0.0/24",
        "10.0.0.1",
        true,
        null,
        null
      ]
    ],
    "fixed_ips": [
      [
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        "10.0.0.5",
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f"
      ],
      [
        "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "10.0.0.1",
        "8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f"
      ]
    ],
    "security_group_port_bindings": [
      [
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        "d6c5b4a3-9281-4f7e-8d6c-5b4a39281706"
      ]
    ],
    "ports": [
      [
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "",
        "3cb9bc59-5699-4588-a4b1-b87f96708bc6",
        "fa:16:3e:4c:2c:30",
        true,
        "ACTIVE",
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "compute:nova"
      ],
      [
        "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "",
        "3cb9bc59-5699-4588-a4b1-b87f96708bc6",
        "fa:16:3e:11:22:33",
        true,
        "ACTIVE",
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "network:router_interface"
      ]
    ],
    "external_fixed_ips": [
      [
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "4f3e2d1c-0b9a-4887-a665-544332211000",
        "172.24.4.3"
      ]
    ],
    "external_gateway_infos": [
      [
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "e5d1b2a0-1c3e-4f5a-9b8c-7d6e5f4a3b2c",
        true
      ]
    ],
    "routers": [
      [
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "ACTIVE",
        true,
        "router1",
        false
      ]
    ],
    "security_group_rules": [
      [
        "d6c5b4a3-9281-4f7e-8d6c-5b4a39281706",
        "e7f8a9b0-c1d2-4e3f-a4b5-c6d7e8f9a0b1",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        null,
        "ingress",
        "IPv4",
        "tcp",
        22,
        22,
        "0.0.0.0/0"
      ],
      [
        "d6c5b4a3-9281-4f7e-8d6c-5b4a39281706",
        "f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        null,
        "egress",
        "IPv4",
        null,
        null,
        null,
        null
      ]
    ],
    "security_groups": [
      [
        "d6c5b4a3-9281-4f7e-8d6c-5b4a39281706",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "default",
        "Default security group"
      ]
    ],
    "floating_ips": [
      [
        "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40",
        "e5d1b2a0-1c3e-4f5a-9b8c-7d6e5f4a3b2c",
        "10.0.0.5",
        "172.24.4.10",
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        "ACTIVE"
      ]
    ]
  },
  "cinder": {
    "attachments": [
      [
        "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
        "9168b536-cd40-4630-b43f-b259807c6e87",
        "11223344-5566-4778-8899-aabbccddeeff",
        null,
        "/dev/vdb"
      ]
    ],
    "volumes": [
      [
        "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
        10,
        "5b5f2e3d9a1c4d7e8f0a1b2c3d4e5f60",
        "in-use",
        "web data",
        "data-1",
        "false",
        "2020-02-20T10:05:00.000000",
        "lvmdriver-1",
        false,
        "nova",
        null,
        false,
        null,
        null,
        null,
        null
      ]
    ],
    "snapshots": [
      [
        "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
        10,
        "available",
        "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
        "data-1-snap",
        "2020-02-21T00:00:00.000000"
      ]
    ],
    "services": [
      [
        "enabled",
        "cinder-scheduler",
        "nova",
        "up",
        "2020-02-21T09:10:00.000000",
        "controller",
        null
      ],
      [
        "enabled",
        "cinder-volume",
        "nova",
        "up",
        "2020-02-21T09:10:02.000000",
        "controller@lvmdriver-1",
        null
      ]
    ]
  },
  "glancev2": {
    "tags": [
      [
        "70a599e0-31e7-49b7-b260-868f441e862b",
        "base"
      ],
      [
        "70a599e0-31e7-49b7-b260-868f441e862b",
        "cirros"
      ]
    ],
    "images": [
      [
        "70a599e0-31e7-49b7-b260-868f441e862b",
        "active",
        "cirros-0.4.0-x86_64-disk",
        "bare",
        "2020-02-19T12:00:00Z",
        "2020-02-19T12:00:05Z",
        "qcow2",
        "8538a3f13f9541b28c2620eb19065e45",
        false,
        0,
        0,
        "443b7623e27ecf03dc9e01ee93f67afe",
        12716032,
        "/v2/images/70a599e0-31e7-49b7-b260-868f441e862b/file",
        null,
        null,
        "/v2/schemas/image",
        "public"
      ]
    ]
  }
};
