package portdoc

import "slices"

// escapedRows returns a copy of d whose table rows and diagram nodes
// hold their text escaped for where the template writes them: table
// cells (Cell) and Mermaid labels (MermaidLabel). A table of thousands
// of rows then costs the template no function call per cell. Every
// other text stays plain, escaped by the template; d is not changed.
func escapedRows(d Doc) Doc {
	d.Ranges = slices.Clone(d.Ranges)
	for i, r := range d.Ranges {
		rows := slices.Clone(r.Rows)
		for k, row := range rows {
			rows[k] = RangeRow{Port: row.Port, Service: Cell(row.Service), Host: Cell(row.Host),
				Runtime: Cell(row.Runtime), Description: Cell(row.Description), Planned: Cell(row.Planned)}
		}
		d.Ranges[i].Rows = rows
	}
	d.Hosts = slices.Clone(d.Hosts)
	for i, h := range d.Hosts {
		rows := slices.Clone(h.Rows)
		for k, row := range rows {
			rows[k] = HostRow{Port: Cell(row.Port), Service: Cell(row.Service), ContainerPort: Cell(row.ContainerPort),
				Published: Cell(row.Published), Range: Cell(row.Range)}
		}
		d.Hosts[i].Rows = rows
	}
	d.Backlog = slices.Clone(d.Backlog)
	for i, m := range d.Backlog {
		d.Backlog[i] = Move{Service: Cell(m.Service), Host: Cell(m.Host), From: m.From, To: m.To, Range: Cell(m.Range)}
	}
	d.NotDeployed = slices.Clone(d.NotDeployed)
	for i, u := range d.NotDeployed {
		d.NotDeployed[i] = Undeployed{Service: Cell(u.Service), Host: Cell(u.Host), Port: u.Port,
			Range: Cell(u.Range), Description: Cell(u.Description)}
	}
	d.Public = slices.Clone(d.Public)
	for i, pn := range d.Public {
		d.Public[i] = PublicName{Hostname: Cell(pn.Hostname), Path: Cell(pn.Path), Service: Cell(pn.Service),
			Host: Cell(pn.Host), Port: Cell(pn.Port)}
	}
	d.Diagram.Hosts = slices.Clone(d.Diagram.Hosts)
	for i, h := range d.Diagram.Hosts {
		nodes := slices.Clone(h.Services)
		for k, n := range nodes {
			nodes[k].Label = MermaidLabel(n.Label)
		}
		d.Diagram.Hosts[i].Services = nodes
	}
	d.Diagram.Public = slices.Clone(d.Diagram.Public)
	for i, n := range d.Diagram.Public {
		d.Diagram.Public[i].Label = MermaidLabel(n.Label)
	}
	return d
}
