/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * TDIR protocol of today's series (and of the base): TDIR = (active_spis
 * != 0) at entry; the injector that takes the count 0 -> 1 broadcasts an
 * asynchronous request + IPI to every vCPU (kvm_make_all_cpus_request()
 * without KVM_REQUEST_WAIT) after dropping ap_list_lock, then kicks the
 * target.  Expected: SPIN finds a lost deactivation (property 1).
 * See docs/tdir-model.md.
 */

#include "tdir-world.pml"

/* No store buffers in this model: every barrier of the old code is kept,
 * and it fails anyway. */
inline drain(me) { skip }
inline enter_mode(me) { mode[me] = IN_GUEST }
inline start_membus() { skip }

#define REQ_PENDING(me)	(req_kick[me])

inline handle_requests(me)
{
	atomic { ipi[me] = 0; req_kick[me] = 0 }
}

inline flush(me)
{
	for (s : 0 .. NS - 1) {
		if
		:: spi_owner[s] == me && spi_lr[s] == NONE && (spi_pending[s] || spi_active[s]) ->
			spi_lr[s] = me;
			lr_pending[s] = spi_pending[s];
			lr_active[s] = spi_active[s]
		:: else
		fi
	}
	s = 0
}

inline configure_tdir(me)
{
	tdir[me] = (count != 0)
}

inline exit_tdir(me) { skip }

inline count_dec()
{
	count--
}

inline migrated(me, s, t)
{
	kick(t)
}

inline inject(s, t)
{
	bool first;
	byte v;

	/* vgic_queue_irq_unlock(): under ap_list_lock, link and count */
	atomic {
		spi_pending[s] = 1;
		if
		:: spi_owner[s] != NONE -> t = spi_owner[s]
		:: else ->
			spi_owner[s] = t;
			first = (count == 0);
			count++
		fi
	};
	/* unlocked: kvm_make_all_cpus_request(), no wait */
	if
	:: first ->
		for (v : 0 .. NV - 1) {
			atomic { kick(v) }
		}
	:: else
	fi;
	first = 0;
	v = 0;
	atomic { kick(t) }
}

#include "tdir-procs.pml"
