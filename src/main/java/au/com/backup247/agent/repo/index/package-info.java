/**
 * Index segments and file versions (FORMAT.md §5). Segments are written once per job after the
 * job's blocks and before its manifest; readers merge them in job order.
 */
package au.com.backup247.agent.repo.index;
