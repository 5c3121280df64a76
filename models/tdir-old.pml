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
	if
	:: spi_owner == me && spi_lr == NONE && (spi_pending || spi_active) ->
		spi_lr = me;
		lr_pending = spi_pending;
		lr_active = spi_active
	:: else
	fi
}

inline configure_tdir(me)
{
	tdir[me] = (count != 0)
}

inline count_dec()
{
	count--
}

inline migrated(me, t)
{
	kick(t)
}

inline inject(t)
{
	bool first;
	byte v;

	/* vgic_queue_irq_unlock(): under ap_list_lock, link and count */
	atomic {
		spi_pending = 1;
		if
		:: spi_owner != NONE -> t = spi_owner
		:: else ->
			spi_owner = t;
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
