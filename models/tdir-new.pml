/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The synchronous TDIR protocol (issue 15's redesign): a packed
 * count/generation, per-vCPU tdir_clear, a SYNC request handled by the
 * SPI's owner with KVM_REQUEST_WAIT semantics, the flush backstop, and
 * TDIR always set for an EOImode=0 vCPU.  Expected: all properties hold.
 * See docs/tdir-model.md.
 *
 * Switches that remove one barrier (each must break a property, or
 * docs/tdir-model.md says why that barrier is not needed):
 *   NO_ENTRY_MB   entry: no smp_mb() between tdir_clear = true and reading
 *                 the count (store-buffering with the linker's scan)
 *   NO_LINK_MB    linker: the count's fetch-inc not fully ordered before
 *                 the scan of tdir_clear
 *   NO_SYNC_MB    SYNC: no smp_mb() between reading gen and reading the
 *                 tdir_clear mask
 *   NO_REQ_MB     SYNC: no smp_mb() between setting the request bit of a
 *                 vCPU and the cmpxchg of its mode
 *   NO_MODE_MB    entry: vcpu->mode = IN_GUEST_MODE without smp_store_mb()
 * and that change the protocol:
 *   NO_WAIT       SYNC IPIs but does not wait (no KVM_REQUEST_WAIT)
 *   NO_BACKSTOP   flush does not hold back an SPI of an unsynced generation
 */

#include "tdir-world.pml"

byte gen;		/* the generation half of the packed active_spis */
byte synced;		/* dist->tdir_synced: newest generation synchronised */
bool tdir_clear[NV];	/* vCPU v may be in the guest with TDIR clear */
bool req_sync[NV];	/* the SYNC request */

/*
 * Store buffers (explicit weak memory): a store that no barrier orders
 * before a later load of the same CPU waits here, invisible to the other
 * CPUs, until the membus process or a barrier of its CPU (drain) makes it
 * visible.  Only the stores whose barrier a switch removes go through them;
 * with the barrier, store + smp_mb() is one step.
 */
bool sb_tdc[NV];	/* tdir_clear[v] = true, buffered on v's CPU */
bool sb_mode[NV];	/* mode[v] = IN_GUEST_MODE, buffered on v's CPU */
byte sb_req[NV];	/* req_kick[x - 1] = 1, buffered on v's CPU (0: none) */

#if defined(NO_ENTRY_MB) || defined(NO_MODE_MB) || defined(NO_REQ_MB)
#define MEMBUS
#endif

inline drain(me)
{
	if
	:: sb_tdc[me] -> tdir_clear[me] = 1; sb_tdc[me] = 0
	:: else
	fi;
	if
	:: sb_mode[me] -> mode[me] = IN_GUEST; sb_mode[me] = 0
	:: else
	fi;
	if
	:: sb_req[me] -> req_kick[sb_req[me] - 1] = 1; sb_req[me] = 0
	:: else
	fi
}

#ifdef MEMBUS
/* Any buffered store may become visible at any time; with nothing
 * buffered the process is blocked (an idle system must be able to stop). */
#define MEMBUS_CPU(v) \
	:: atomic { sb_tdc[v] -> tdir_clear[v] = 1; sb_tdc[v] = 0 } \
	:: atomic { sb_mode[v] -> mode[v] = IN_GUEST; sb_mode[v] = 0 } \
	:: atomic { sb_req[v] -> req_kick[sb_req[v] - 1] = 1; sb_req[v] = 0 }
proctype membus()
{
end_membus:
	do
	MEMBUS_CPU(0)
	MEMBUS_CPU(1)
#if NV > 2
	MEMBUS_CPU(2)
#endif
#if NV > 3
#error "membus: NV > 3"
#endif
	od
}
inline start_membus() { run membus() }
#else
inline start_membus() { skip }
#endif

inline enter_mode(me)
{
#ifdef NO_MODE_MB
	sb_mode[me] = 1
#else
	mode[me] = IN_GUEST	/* smp_store_mb() */
#endif
}

#define REQ_PENDING(me)	(req_kick[me] || req_sync[me])

/* tdir_synced = max(tdir_synced, g) */
inline sync_done(g)
{
	atomic {
		if
		:: g > synced -> synced = g
		:: else
		fi
	}
}

/* kvm_make_vcpus_request_mask(mask, REQ | KVM_REQUEST_WAIT) from the owner's
 * check_vcpu_requests(): IRQs on, so it takes IPIs while it waits. */
inline do_sync(me)
{
	byte g, v, old;
	bool mask[NV];

#ifdef NO_SYNC_MB
	/* no barrier: the loads of the mask may be satisfied before gen's */
	for (v : 0 .. NV - 1) {
		if
		:: v != me -> mask[v] = tdir_clear[v]
		:: else
		fi
	}
	g = gen;
#else
	g = gen;
	/* smp_mb() */
	for (v : 0 .. NV - 1) {
		if
		:: v != me -> mask[v] = tdir_clear[v]
		:: else
		fi
	}
#endif
	v = 0;
	for (v : 0 .. NV - 1) {
		if
		:: mask[v] ->
			/* kvm_make_request(): the request bit */
#ifdef NO_REQ_MB
			sb_req[me] = v + 1;
#else
			req_kick[v] = 1;
#endif
			/* smp_mb__before_atomic(); cmpxchg(mode, IN_GUEST, EXITING) */
			atomic {
				old = mode[v];
				if
				:: old == IN_GUEST -> mode[v] = EXITING; drain(me)
				:: else
				fi;
				if
				:: old != OUTSIDE -> ipi[v] = 1
				:: else
				fi
			};
#ifndef NO_WAIT
			/* wait for the IPI to be taken (IRQs on again there) */
			if
			:: old != OUTSIDE ->
				do
				:: !ipi[v] -> break
				:: ipi[me] -> ipi[me] = 0
				od
			:: else
			fi;
#endif
			mask[v] = 0;
			old = 0
		:: else
		fi
	}
	v = 0;
	sync_done(g);
	g = 0
}

inline handle_requests(me)
{
	bool sync;

	atomic {
		ipi[me] = 0;
		req_kick[me] = 0;
		if
		:: req_sync[me] ->
			req_sync[me] = 0;	/* kvm_check_request(): smp_mb__after_atomic() */
			drain(me);
			sync = 1
		:: else
		fi
	};
	if
	:: sync -> sync = 0; do_sync(me)
	:: else
	fi
}

/* The backstop: no LR for a tracked SPI of a generation not synchronised */
inline flush(me)
{
	if
	:: spi_owner == me && spi_lr == NONE && (spi_pending || spi_active) ->
		if
#ifndef NO_BACKSTOP
		:: gen != synced -> req_sync[me] = 1	/* held back */
#endif
		:: else ->
			spi_lr = me;
			lr_pending = spi_pending;
			lr_active = spi_active
		fi
	:: else
	fi
}

inline configure_tdir(me)
{
	if
	:: atomic { !eoimode[me] -> tdir[me] = 1; tdir_clear[me] = 0 }
	:: else ->
#ifdef NO_ENTRY_MB
		sb_tdc[me] = 1;
#else
		atomic { tdir_clear[me] = 1; drain(me) }	/* smp_mb() */
#endif
		atomic {
			if
			:: count != 0 -> tdir[me] = 1; tdir_clear[me] = 0; sb_tdc[me] = 0
			:: else -> tdir[me] = 0
			fi
		}
	fi
}

inline count_dec()
{
	count--
}

/* vgic_prune_ap_list() moved the SPI to t */
inline migrated(me, t)
{
	if
	:: gen != synced -> req_sync[t] = 1
	:: else
	fi;
	kick(t)
}

inline inject(t)
{
	bool first, clear;
	byte v, g;

#ifdef NO_LINK_MB
	/* no full ordering: the scan's loads may be satisfied before the
	 * increment is visible */
	for (v : 0 .. NV - 1) {
		if
		:: v != t -> clear = clear || tdir_clear[v]
		:: else
		fi
	}
	v = 0;
#endif
	/* vgic_queue_irq_unlock(): under ap_list_lock, link and count */
	atomic {
		spi_pending = 1;
		if
		:: spi_owner != NONE -> t = spi_owner
		:: else ->
			spi_owner = t;
			first = (count == 0);
			count++;
			if
			:: first -> gen++; g = gen
			:: else
			fi
		fi
	};
	if
	:: first ->
#ifndef NO_LINK_MB
		for (v : 0 .. NV - 1) {
			if
			:: v != t -> clear = clear || tdir_clear[v]
			:: else
			fi
		}
		v = 0;
#endif
		if
		:: clear -> req_sync[t] = 1
		:: else -> sync_done(g)	/* nobody may be in the guest with TDIR clear */
		fi
	:: else
	fi;
	first = 0;
	clear = 0;
	g = 0;
	atomic { kick(t) }
}

#include "tdir-procs.pml"
